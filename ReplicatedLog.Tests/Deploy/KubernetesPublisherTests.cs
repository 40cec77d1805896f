using System.Text.RegularExpressions;
using k8s.Models;
using static ReplicatedLog.Tests.Deploy.KubernetesManifests;

namespace ReplicatedLog.Tests.Deploy;

/// <summary>
/// What the Kubernetes manifests promise (issue 9): the secondaries as a StatefulSet with a volume each behind a
/// headless Service, joining by registration; the master as a StatefulSet of one with its volume; secrets read from
/// a Secret and never written; liveness on /alive, readiness on /health; and the AppHost's settings carried over.
/// </summary>
public sealed class KubernetesPublisherTests
{
    private static readonly KubernetesManifests Default = Render();

    [Fact]
    public void SecondariesAreAStatefulSetWithAVolumeEachBehindAHeadlessService()
    {
        var secondaries = Default.Get<V1StatefulSet>("secondary");
        Assert.Equal(2, secondaries.Spec.Replicas);
        Assert.Equal("secondary", secondaries.Spec.ServiceName);
        var volume = Assert.Single(secondaries.Spec.VolumeClaimTemplates);
        var container = Default.Container("secondary");
        var mount = Assert.Single(container.VolumeMounts);
        Assert.Equal(volume.Metadata.Name, mount.Name);
        Assert.Equal(mount.MountPath, Variable(container, "Storage__Path").Value);

        var service = Default.Get<V1Service>("secondary");
        Assert.Equal("None", service.Spec.ClusterIP);
        // The master calls a secondary that registered before its first readiness probe.
        Assert.True(service.Spec.PublishNotReadyAddresses);
        Assert.Equal(secondaries.Spec.Selector.MatchLabels, service.Spec.Selector);
    }

    [Fact]
    public void SecondariesRegisterWithTheMasterUnderTheirPodNamesAndTheMasterListsNone()
    {
        var secondary = Default.Container("secondary");
        Assert.Equal("metadata.name", Variable(secondary, "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("$(POD_NAME)", Variable(secondary, "Secondary__Name").Value);
        Assert.Equal("http://$(POD_NAME).secondary:8080", Variable(secondary, "Secondary__AdvertisedUrl").Value);
        var master = Default.Get<V1Service>("master").Spec.Ports.Single();
        Assert.Equal($"http://master:{master.Port}", Variable(secondary, "services__master__http__0").Value);
        Assert.Equal(8080, secondary.Ports.Single().ContainerPort);

        var masterEnv = Default.Container("master").Env.Select(e => e.Name).ToList();
        Assert.DoesNotContain(masterEnv, name => name.StartsWith("services__secondary", StringComparison.Ordinal) || name.StartsWith("Replication__Secondaries", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void TheSecondariesSwitchSetsTheReplicas(int secondaries)
    {
        var manifests = Render("--secondaries", $"{secondaries}");

        Assert.Equal(secondaries, manifests.Get<V1StatefulSet>("secondary").Spec.Replicas);
        Assert.Contains($"one StatefulSet of {secondaries} ", manifests.File("secondary.yaml").Content, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishingWithoutSecondariesSaysHowToScaleToNone()
    {
        var error = Assert.Throws<ArgumentException>(() => Render("--secondaries", "0"));

        Assert.Contains("--replicas=0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheMasterIsAStatefulSetOfOneWithItsVolumeAndAService()
    {
        var master = Default.Get<V1StatefulSet>("master");
        Assert.Equal(1, master.Spec.Replicas);
        Assert.Single(master.Spec.VolumeClaimTemplates);
        Assert.Equal("/data", Variable(Default.Container("master"), "Storage__Path").Value);
        var service = Default.Get<V1Service>("master");
        Assert.Null(service.Spec.ClusterIP);
        Assert.Equal(master.Spec.Selector.MatchLabels, service.Spec.Selector);
        Assert.Equal("replicatedlog-master:latest", Default.Container("master").Image);
        Assert.All(Default.Containers, c => Assert.Equal("IfNotPresent", c.ImagePullPolicy));
    }

    [Fact]
    public void EverySecretIsReadFromTheGeneratedSecretAndNoValueIsWritten()
    {
        var secrets = Default.Secrets;
        Assert.NotEmpty(secrets);

        Assert.All(Default.Containers, c => Assert.Equal("cluster-token", Variable(c, "Cluster__Token").ValueFrom.SecretKeyRef.Key));
        var refs = Default.Containers.SelectMany(c => c.Env).Where(e => e.ValueFrom?.SecretKeyRef is not null).Select(e => e.ValueFrom.SecretKeyRef).ToList();
        Assert.All(refs, r => Assert.Equal("replicatedlog", r.Name));
        Assert.Equal(["cluster-token", "dashboard-browser-token", "dashboard-otlp-api-key"], refs.Select(r => r.Key).Distinct().Order());
        var kustomization = Default.File("kustomization.yaml").Content;
        Assert.Contains("secretGenerator:\n  - name: replicatedlog\n    envs:\n      - secrets.env\n", kustomization, StringComparison.Ordinal);
        Assert.All(refs.Select(r => r.Key).Distinct(), key => Assert.Contains($"echo \"{key}=$(openssl rand", kustomization, StringComparison.Ordinal));
        Assert.Contains("secrets.env", Default.File(".gitignore").Content.Split('\n'));
        // Neither this run's values nor the publish placeholders ({cluster-token.value}) reach a file.
        Assert.All(Default.Files, f => Assert.All(secrets, s =>
        {
            Assert.DoesNotContain(s.Value, f.Content, StringComparison.Ordinal);
            Assert.DoesNotContain($"{{{s.Name}.", f.Content, StringComparison.Ordinal);
        }));
    }

    [Fact]
    public void EveryVariableAContainerExpandsIsDefinedBeforeIt()
    {
        // Kubernetes expands $(NAME) only for a variable earlier in the list; a later one stays as the literal text.
        Assert.All(Default.Containers, container => Assert.All(container.Env.Select((e, i) => (e, i)), entry =>
        {
            foreach (Match used in Regex.Matches(entry.e.Value ?? "", @"\$\(([A-Za-z_][A-Za-z0-9_]*)\)"))
            {
                Assert.Contains(used.Groups[1].Value, container.Env.Take(entry.i).Select(e => e.Name));
            }
        }));
        Assert.Equal("x-otlp-api-key=$(DASHBOARD_OTLP_API_KEY)", Variable(Default.Container("master"), "OTEL_EXPORTER_OTLP_HEADERS").Value);
    }

    [Fact]
    public void NodesAreLiveOnAliveReadyOnHealthAndRequestResources()
    {
        foreach (var node in new[] { "master", "secondary" })
        {
            var container = Default.Container(node);
            Assert.Equal("/alive", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/alive", container.StartupProbe.HttpGet.Path);
            Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
            Assert.All([container.LivenessProbe, container.ReadinessProbe, container.StartupProbe],
                p => Assert.Equal(8080, container.Ports.Single(port => port.Name == p.HttpGet.Port.Value).ContainerPort));
            Assert.Contains("cpu", container.Resources.Requests.Keys);
            Assert.Contains("memory", container.Resources.Requests.Keys);
        }

        Assert.Equal("/alive", Default.Container("dashboard").ReadinessProbe.HttpGet.Path);
    }

    [Fact]
    public void NodesSendTheirTelemetryToTheDashboardsService()
    {
        var otlp = Default.Get<V1Service>("dashboard").Spec.Ports.Single(p => p.Name == "otlp-http");
        Assert.All(["master", "secondary"], node =>
        {
            Assert.Equal($"http://dashboard:{otlp.Port}", Variable(Default.Container(node), "OTEL_EXPORTER_OTLP_ENDPOINT").Value);
            Assert.Equal("http/protobuf", Variable(Default.Container(node), "OTEL_EXPORTER_OTLP_PROTOCOL").Value);
        });
        var dashboard = Default.Container("dashboard");
        Assert.Equal($"http://+:{otlp.Port}", Variable(dashboard, "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL").Value);
        Assert.Equal("dashboard-otlp-api-key", Variable(dashboard, "Dashboard__Otlp__PrimaryApiKey").ValueFrom.SecretKeyRef.Key);
        Assert.Equal("http://master:8080", Variable(dashboard, "services__master__http__0").Value);
        // No AppHost runs in the cluster: the dashboard is told of no resource service.
        Assert.DoesNotContain(dashboard.Env, e => e.Name.StartsWith("Dashboard__ResourceServiceClient", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutTheDashboardNothingIsDeployedForItOrSentToIt()
    {
        var manifests = Render("--no-dashboard");

        Assert.DoesNotContain(manifests.Files, f => f.Path.EndsWith("dashboard.yaml", StringComparison.Ordinal));
        Assert.DoesNotContain("dashboard", manifests.File("kustomization.yaml").Content.Split("---")[1], StringComparison.Ordinal);
        Assert.All(manifests.Containers, c => Assert.DoesNotContain(c.Env, e => e.Name.StartsWith("OTEL_EXPORTER", StringComparison.Ordinal)));
    }

    [Fact]
    public void KustomizationListsEveryManifest()
    {
        var listed = Default.File("kustomization.yaml").Content.Split('\n')
            .SkipWhile(l => l != "resources:").Skip(1).TakeWhile(l => l.StartsWith("  - ", StringComparison.Ordinal)).Select(l => l[4..]);
        var manifests = Default.Files.Select(f => Path.GetFileName(f.Path)).Where(n => n.EndsWith(".yaml", StringComparison.Ordinal) && n != "kustomization.yaml");

        Assert.Equal(manifests.Order(), listed.Order());
    }

    [Fact]
    public void EveryFileSaysHowItIsGeneratedAndNotToEditIt()
    {
        Assert.All(Default.Files, f => Assert.StartsWith(
            "# Generated by `dotnet run --project ReplicatedLog.AppHost -- --publisher kubernetes --output-path deploy/kubernetes`\n# from the AppHost's topology (ReplicatedLog.AppHost/Program.cs). Do not edit",
            f.Content, StringComparison.Ordinal));
    }
}
