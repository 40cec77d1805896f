using ReplicatedLog.AppHost.Hosting.Publishing.Compose;
using ReplicatedLog.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ReplicatedLog.Tests.Publishing;

/// <summary>
/// <c>--publisher compose</c>: what the compose file promises the people who run it (and the container test that runs
/// it): services named as the resources, images and build contexts, the AppHost's ports on 127.0.0.1, references on
/// the compose network, secrets only from the environment, a volume per node, start order on health.
/// </summary>
public sealed class ComposePublisherTests
{
    private static readonly string[] Nodes = ["master", "secondary-1", "secondary-2"];

    [Fact]
    public void EachResourceIsAServiceBuiltFromItsProjectsDockerfileAndPublishedOnTheBindAddressAtTheAppHostsPort()
    {
        var services = Services(Published.Render("compose", "deploy/compose"));

        Assert.Equal(["dashboard", "master", "secondary-1", "secondary-2"], services.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("replicatedlog-master:latest", "../..", "ReplicatedLog.Master/Dockerfile"), Image(services["master"]));
        Assert.All(new[] { "secondary-1", "secondary-2" }, name =>
            Assert.Equal(("replicatedlog-secondary:latest", "../..", "ReplicatedLog.Secondary/Dockerfile"), Image(services[name])));
        Assert.Equal(("replicatedlog-dashboard:latest", "../..", "ReplicatedLog.Dashboard/Dockerfile"), Image(services["dashboard"]));

        Assert.Equal(["${BIND_ADDRESS:-127.0.0.1}:8000:8080"], List(services["master"], "ports"));
        Assert.Equal(["${BIND_ADDRESS:-127.0.0.1}:8002:8080"], List(services["secondary-2"], "ports"));
        // Only the dashboard's pages: its OTLP ports stay on the compose network.
        Assert.Equal(["${BIND_ADDRESS:-127.0.0.1}:18888:18888"], List(services["dashboard"], "ports"));
        Assert.Equal("BIND_ADDRESS=127.0.0.1", Published.Render("compose", "deploy/compose")[".env"].Split('\n').Single(l => l.StartsWith("BIND_ADDRESS=", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReferencesAreTheOtherServicesOnTheComposeNetworkAndEachNodeKeepsItsLogInAVolumeOfItsOwn()
    {
        var published = Published.Render("compose", "deploy/compose", "--delay", "secondary-1=700");
        var services = Services(published);

        var master = Environment(services["master"]);
        Assert.Equal(("http://secondary-1:8080", "http://secondary-2:8080"), (master["services__secondary-1__http__0"], master["services__secondary-2__http__0"]));
        Assert.Equal(("700", "2000"), (Environment(services["secondary-1"])["Replication__DelayMs"], Environment(services["secondary-2"])["Replication__DelayMs"]));
        Assert.Equal("http://master:8080", Environment(services["dashboard"])["services__master__http__0"]);
        Assert.All(Nodes, name =>
        {
            var variables = Environment(services[name]);
            Assert.Equal(("http://dashboard:18890", "http/protobuf", name, "/data"),
                (variables["OTEL_EXPORTER_OTLP_ENDPOINT"], variables["OTEL_EXPORTER_OTLP_PROTOCOL"], variables["OTEL_SERVICE_NAME"], variables["Storage__Path"]));
            Assert.Equal([$"{name}-data:/data"], List(services[name], "volumes"));
            Assert.DoesNotContain("ASPNETCORE_URLS", variables.Keys);
        });
        var dashboard = Environment(services["dashboard"]);
        Assert.Equal(("http://+:18888", "http://+:18889", "http://+:18890"),
            (dashboard["ASPNETCORE_URLS"], dashboard["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"], dashboard["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]));
        Assert.DoesNotContain(dashboard.Keys, k => k.StartsWith("Dashboard__ResourceServiceClient", StringComparison.Ordinal));

        var volumes = (YamlMappingNode)Root(published).Children["volumes"];
        Assert.Equal(["master-data", "secondary-1-data", "secondary-2-data"], volumes.Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SecretsComeOnlyFromTheEnvironmentAndComposeRefusesToStartWithoutThem()
    {
        var services = Services(Published.Render("compose", "deploy/compose"));

        Assert.All(services.Keys, name => Assert.StartsWith("${CLUSTER_TOKEN:?set CLUSTER_TOKEN", Environment(services[name])["Cluster__Token"]));
        var dashboard = Environment(services["dashboard"]);
        Assert.StartsWith("${DASHBOARD_BROWSER_TOKEN:?", dashboard["Dashboard__Frontend__BrowserToken"]);
        // OTLP stays authenticated on the compose network, with the token every node holds.
        Assert.StartsWith("${CLUSTER_TOKEN:?", dashboard["Dashboard__Otlp__PrimaryApiKey"]);
        Assert.StartsWith("x-otlp-api-key=${CLUSTER_TOKEN:?", Environment(services["master"])["OTEL_EXPORTER_OTLP_HEADERS"]);
    }

    [Fact]
    public void EachServiceStartsOnceThoseItWaitsForAreHealthyAsTheAppHostStartsThem()
    {
        var services = Services(Published.Render("compose", "deploy/compose"));

        Assert.Equal(["dashboard", "secondary-1", "secondary-2"], DependsOnHealthy(services["master"]).Order(StringComparer.Ordinal));
        Assert.Equal(["dashboard"], DependsOnHealthy(services["secondary-1"]));
        Assert.Empty(DependsOnHealthy(services["dashboard"]));
        Assert.All(services, service =>
        {
            var port = service.Key == "dashboard" ? 18888 : 8080;
            var check = (YamlMappingNode)service.Value.Children["healthcheck"];
            Assert.Equal(["CMD", "bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{port} && printf 'GET /alive HTTP/1.0\\r\\nHost: localhost:{port}\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"],
                ((YamlSequenceNode)check.Children["test"]).Select(n => n.ToString()));
            Assert.All(new[] { "interval", "timeout", "retries", "start_period" }, key => Assert.Contains(key, check.Children.Keys.Select(k => k.ToString())));
        });
    }

    [Theory]
    [InlineData("ReplicatedLog.Master", 8080)]
    [InlineData("ReplicatedLog.Secondary", 8080)]
    [InlineData("ReplicatedLog.Dashboard", 18888)]
    public void EachImagesOwnHealthCheckIsTheProbeTheComposeFileWaitsOn(string project, int port)
    {
        // Anyone running the image without this compose file (docker run, another orchestrator) gets the same check.
        var dockerfile = File.ReadAllText(Path.Combine(Repository.Root, project, "Dockerfile"));
        var command = dockerfile[dockerfile.IndexOf("HEALTHCHECK", StringComparison.Ordinal)..];
        command = command[(command.IndexOf("CMD ", StringComparison.Ordinal) + 4)..];
        var probe = System.Text.Json.JsonSerializer.Deserialize<string[]>(command[..(command.IndexOf(']', StringComparison.Ordinal) + 1)]);
        Assert.Equal(["bash", "-c", ComposePublisher.Probe(port)], probe!);
    }

    [Fact]
    public void FourSecondariesAskedForAreFourServicesAndTheMasterReferencesAndWaitsForEachOfThem()
    {
        var services = Services(Published.Render("compose", "deploy/compose", "--secondaries", "4"));

        Assert.Equal(["secondary-1", "secondary-2", "secondary-3", "secondary-4"],
            services.Keys.Where(k => k.StartsWith("secondary-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(["${BIND_ADDRESS:-127.0.0.1}:8004:8080"], List(services["secondary-4"], "ports"));
        Assert.Equal("http://secondary-4:8080", Environment(services["master"])["services__secondary-4__http__0"]);
        Assert.Contains("secondary-4", DependsOnHealthy(services["master"]));
    }

    [Fact]
    public async Task DockerComposeReadsTheFileWithTheSecretsGivenAndRefusesItWithoutThem()
    {
        using var folder = new TempDirectory("compose");
        var published = Published.Render("compose", "deploy/compose");
        foreach (var file in published.Files)
        {
            await File.WriteAllTextAsync(Path.Combine(folder.Path, Path.GetFileName(file.Path)), file.Content);
        }

        var (status, output) = await DockerComposeConfigAsync(folder.Path, [("CLUSTER_TOKEN", "t0ken"), ("DASHBOARD_BROWSER_TOKEN", "br0wser")]);
        Assert.True(status == 0, $"docker-compose config exited {status}:{System.Environment.NewLine}{output}");
        var services = (YamlMappingNode)((YamlMappingNode)Parse(output).Children["services"]);
        var master = (YamlMappingNode)services.Children["master"];
        Assert.Equal("127.0.0.1:8000:8080/tcp", ((YamlSequenceNode)master.Children["ports"]).Single().ToString());
        Assert.Equal("t0ken", ((YamlMappingNode)master.Children["environment"]).Children["Cluster__Token"].ToString());

        (status, output) = await DockerComposeConfigAsync(folder.Path, [("DASHBOARD_BROWSER_TOKEN", "br0wser")]);
        Assert.True(status != 0, $"docker-compose config took a file without CLUSTER_TOKEN:{System.Environment.NewLine}{output}");
        Assert.Contains("set CLUSTER_TOKEN", output);
    }

    private static Task<(int ExitCode, string Output)> DockerComposeConfigAsync(string folder, (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string?> { ["CLUSTER_TOKEN"] = null, ["DASHBOARD_BROWSER_TOKEN"] = null };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return Command.RunAsync("docker-compose", ["-f", Path.Combine(folder, ComposePublisher.ComposeFile), "config"],
            TimeSpan.FromSeconds(60), environment, folder);
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Root(Published published) => Parse(published[ComposePublisher.ComposeFile]);

    private static Dictionary<string, YamlMappingNode> Services(Published published) =>
        ((YamlMappingNode)Root(published).Children["services"]).Children.ToDictionary(e => e.Key.ToString(), e => (YamlMappingNode)e.Value);

    private static (string, string, string) Image(YamlMappingNode service)
    {
        var build = (YamlMappingNode)service.Children["build"];
        return (service.Children["image"].ToString(), build.Children["context"].ToString(), build.Children["dockerfile"].ToString());
    }

    private static List<string> List(YamlMappingNode service, string key) =>
        ((YamlSequenceNode)service.Children[key]).Select(n => n.ToString()).ToList();

    private static Dictionary<string, string> Environment(YamlMappingNode service) =>
        ((YamlMappingNode)service.Children["environment"]).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString());

    private static List<string> DependsOnHealthy(YamlMappingNode service) =>
        service.Children.TryGetValue("depends_on", out var node)
            ? ((YamlMappingNode)node).Children
                .Where(e => ((YamlMappingNode)e.Value).Children["condition"].ToString() == "service_healthy")
                .Select(e => e.Key.ToString()).ToList()
            : [];
}
