using System.Net;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>Both services describe their API: an OpenAPI document and its API page.</summary>
public sealed class ApiDocumentTests
{
    [Fact]
    public async Task EveryNodeServesItsOpenApiDocumentAndSwaggerUi()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1);
        foreach (var (node, route) in new[] { (cluster.MasterUrl, "\"/messages\""), (cluster.Secondaries[0].Url, "\"/replication/append\"") })
        {
            using var document = await TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(node, "openapi/v1.json")));
            Assert.Equal(HttpStatusCode.OK, document.StatusCode);
            Assert.Contains(route, await document.Content.ReadAsStringAsync());

            using var ui = await TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(node, "docs/index.html")));
            Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        }
    }
}
