using Microsoft.Extensions.Configuration;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.ServiceDefaults.Discovery;

namespace ReplicatedLog.Tests.Unit;

public sealed class ServiceDiscoveryTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build();

    [Fact]
    public void ANameResolvesFromAspireStyleServiceEntries()
    {
        var resolver = new ServiceEndpointResolver(Config(("services:secondary-1:http:0", "http://localhost:8001")));
        Assert.Equal(new Uri("http://localhost:8001"), resolver.Resolve("secondary-1"));
        Assert.Equal(new Uri("http://localhost:8001/"), resolver.Resolve("http://secondary-1"));
        Assert.Equal(new Uri("http://10.0.0.9:7000"), resolver.Resolve("http://10.0.0.9:7000"));
        Assert.Null(resolver.Resolve("secondary-2"));
    }

    [Fact]
    public void WithoutAListEveryReferencedSecondaryIsReplicatedTo()
    {
        var config = Config(
            ("services:secondary-1:http:0", "http://localhost:8001"),
            ("services:secondary-2:http:0", "http://localhost:8002"),
            ("services:otel:http:0", "http://localhost:4317"));
        var found = ConfiguredSecondaries.Read(config, new ServiceEndpointResolver(config));
        Assert.Equal(["secondary-1", "secondary-2"], found.Select(f => f.Name).Order());
    }

    [Fact]
    public void AListMayMixNamesAndUrlsAndBeOneCommaSeparatedString()
    {
        var config = Config(
            ("services:secondary-1:http:0", "http://localhost:8001"),
            ("Replication:Secondaries", "secondary-1, http://127.0.0.1:9002"));
        var found = ConfiguredSecondaries.Read(config, new ServiceEndpointResolver(config));
        Assert.Equal([new Uri("http://localhost:8001"), new Uri("http://127.0.0.1:9002")], found.Select(f => f.Address));
    }

    [Fact]
    public void AListedNameThatNothingResolvesStopsTheStartWithAClearMessage()
    {
        var config = Config(("Replication:Secondaries:0", "secondary-9"));
        var error = Assert.Throws<InvalidOperationException>(() => ConfiguredSecondaries.Read(config, new ServiceEndpointResolver(config)));
        Assert.Contains("secondary-9", error.Message);
    }
}
