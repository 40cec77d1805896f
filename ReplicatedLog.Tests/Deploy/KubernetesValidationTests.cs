using k8s;
using k8s.Models;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Deploy;

/// <summary>
/// The committed manifests checked offline, as far as anything can without a cluster: <c>kubectl kustomize</c> builds
/// them as <c>kubectl apply -k</c> would (the files it lists, the Secret from <c>secrets.env</c>, the Secret's
/// references renamed to it), every object it makes passes the Kubernetes API's schemas (kubernetes-models, from npm,
/// pinned in tools/kubernetes-validate) and reads strictly into the Kubernetes client's models (no unknown field).
/// The validator is installed with <c>npm ci</c> on first use.
/// </summary>
public sealed class KubernetesValidationTests
{
    private static readonly string ValidatorPath = Path.Combine(Repository.Root, "tools", "kubernetes-validate");
    private static readonly Lazy<Task> Installed = new(InstallValidatorAsync);

    [Fact]
    public async Task CommittedManifestsBuildWithKustomizeAndPassTheKubernetesSchemas()
    {
        using var folder = new TempDirectory("kubernetes");
        foreach (var file in Directory.GetFiles(KubernetesManifests.CommittedPath).Where(f => Path.GetFileName(f) != "secrets.env"))
        {
            File.Copy(file, Path.Combine(folder.Path, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(folder.Path, "secrets.env"), "cluster-token=t\ndashboard-browser-token=b\ndashboard-otlp-api-key=k\n");
        var built = await RunAsync("kubectl", ["kustomize", folder.Path]);
        Assert.True(built.ExitCode == 0, $"kubectl kustomize failed:\n{built.Output}");

        var validated = await ValidateAsync(built.Output);
        Assert.True(validated.ExitCode == 0, $"The manifests do not pass the Kubernetes schemas:\n{validated.Output}");

        var objects = KubernetesYaml.LoadAllFromString(built.Output, strict: true);
        var secret = Assert.Single(objects.OfType<V1Secret>());
        Assert.Equal(["cluster-token", "dashboard-browser-token", "dashboard-otlp-api-key"], secret.Data.Keys.Order());
        var containers = objects.OfType<V1StatefulSet>().SelectMany(s => s.Spec.Template.Spec.Containers)
            .Concat(objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers)).ToList();
        Assert.Equal(3, containers.Count);
        Assert.All(containers.SelectMany(c => c.Env).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>(),
            reference => Assert.Equal(secret.Metadata.Name, reference.Name));
    }

    [Theory]
    [InlineData("replicas: 2", "{name: secondary, image: replicatedlog-secondary:latest}", "strict")]
    [InlineData("replicas: two", "{name: secondary, image: replicatedlog-secondary:latest}", "replicas must be integer")]
    [InlineData("replicas: 2", "{image: replicatedlog-secondary:latest}", "containers/0 must have required property name")]
    [InlineData("replcas: 2", "{name: secondary, image: replicatedlog-secondary:latest}", "Property 'replcas' not found")]
    public async Task TheValidatorRefusesWhatTheApiWouldRefuse(string replicas, string container, string refusal)
    {
        var statefulSet = $$$"""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: secondary}
            spec:
              serviceName: secondary
              {{{replicas}}}
              selector: {matchLabels: {app: secondary}}
              template:
                metadata: {labels: {app: secondary}}
                spec: {containers: [{{{container}}}]}
            """;

        var validated = await ValidateAsync(statefulSet);
        var strict = Record.Exception(() => KubernetesYaml.LoadAllFromString(statefulSet, strict: true));

        if (refusal == "strict")
        {
            // The valid one, so that the refusals below are the validators' own.
            Assert.True(validated.ExitCode == 0, validated.Output);
            Assert.Null(strict);
        }
        else if (refusal.StartsWith("Property", StringComparison.Ordinal))
        {
            // The schemas allow unknown fields; the strict read does not.
            Assert.Contains(refusal, Assert.IsType<YamlDotNet.Core.YamlException>(strict).Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(validated.ExitCode != 0, validated.Output);
            Assert.Contains(refusal, validated.Output, StringComparison.Ordinal);
        }
    }

    private static async Task<(int ExitCode, string Output)> ValidateAsync(string yaml)
    {
        await Installed.Value;
        return await RunAsync("node", [Path.Combine(ValidatorPath, "validate.mjs")], yaml);
    }

    private static async Task InstallValidatorAsync()
    {
        if (File.Exists(Path.Combine(ValidatorPath, "node_modules", "kubernetes-models", "package.json")))
        {
            return;
        }

        var installed = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--prefix", ValidatorPath], timeout: TimeSpan.FromMinutes(5));
        Assert.True(installed.ExitCode == 0, $"npm ci in {ValidatorPath} failed:\n{installed.Output}");
    }

    private static Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> arguments, string? input = null, TimeSpan? timeout = null) =>
        Command.RunAsync(file, arguments, timeout ?? TimeSpan.FromMinutes(1), input: input);
}
