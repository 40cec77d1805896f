using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Model;

namespace ReplicatedLog.Tests.Unit;

/// <summary>The AppHost's resources as data: what their environment says, to run here or to deploy elsewhere.</summary>
public sealed class ResourceModelTests
{
    [Fact]
    public void RunHereAReferenceIsTheEndpointsUrlAndRenderedForADeploymentItIsAPlaceholderAsIsASecret()
    {
        var builder = ClusterHostBuilder.Create([]);
        var token = builder.AddParameter("token", "s3cret", "The token");
        var api = builder.AddProject("api", ServiceBinaries.Secondary).WithHttpEndpoint(8001);
        var web = builder.AddProject("web", ServiceBinaries.Master).WithHttpEndpoint(8000).WithReference(api).WithEnvironment("Token", token);

        var run = web.EnvironmentFor(ExecutionMode.Run);
        Assert.Equal(("http://localhost:8001", "s3cret", "http://localhost:8000", "web"),
            (run["services__api__http__0"], run["Token"], run["ASPNETCORE_URLS"], run["OTEL_SERVICE_NAME"]));

        var publish = web.EnvironmentFor(ExecutionMode.Publish);
        Assert.Equal(("{api.bindings.http.url}", "{token.value}"), (publish["services__api__http__0"], publish["Token"]));
        Assert.DoesNotContain("ASPNETCORE_URLS", publish.Keys);
    }

    [Fact]
    public void TheHostingCodeGivesAServiceOnlyWhatAspireGivesEveryProjectAndTheTopologyGivesTheRest()
    {
        var bare = ClusterHostBuilder.Create([]).AddProject("api", ServiceBinaries.Secondary).WithHttpEndpoint(8001);
        Assert.Equal(["ASPNETCORE_URLS", "OTEL_SERVICE_NAME"], bare.EnvironmentFor(ExecutionMode.Run).Keys.Order());

        var topology = ReplicatedLog.AppHost.Program.Topology(ClusterHostBuilder.Create(["--secondaries", "1"]));
        Assert.Equal(["ASPNETCORE_URLS", "Cluster__Token", "OTEL_SERVICE_NAME", "Replication__DelayMs", "Storage__Path"],
            topology["secondary-1"].EnvironmentFor(ExecutionMode.Run).Keys.Order());
        Assert.Equal(topology.Parameters.Single().Value, topology["master"].EnvironmentFor(ExecutionMode.Run)["Cluster__Token"]);
        Assert.Equal("http://localhost:8001", topology["master"].EnvironmentFor(ExecutionMode.Run)["services__secondary-1__http__0"]);
    }
}
