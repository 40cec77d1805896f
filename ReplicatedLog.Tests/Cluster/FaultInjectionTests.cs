using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>The secondary's admin routes at run time: <c>/admin/faults</c> (fault injection) and <c>/admin/delay</c>.</summary>
public sealed class FaultInjectionTests
{
    [Fact]
    public async Task PausingASecondaryAtRunTimeHoldsAW2AppendUntilItIsResumed()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1, secondary: _ => new() { ["Faults:Enabled"] = "true" });
        await cluster.WaitForWritableAsync();
        var admin = new Uri(cluster.Secondaries[0].Url, "admin/faults");

        using (var paused = await TestCluster.SendRawAsync(HttpMethod.Put, admin, "{\"paused\": true, \"delayMs\": 50}"))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            var now = await paused.Content.ReadFromJsonAsync<FaultSettings>();
            Assert.Equal(new FaultSettings(50, 0, 0, true), now);
        }

        var waiting = cluster.AppendAsync(new { message = "held", w = 2 });
        await Eventually.MatchAsync("the append to wait", () => TestCluster.HealthAsync(cluster.MasterUrl),
            h => h.GetProperty("pendingWrites").GetInt32() == 1, describe: h => h.ToString());
        Assert.False(waiting.IsCompleted);
        Assert.Empty(await TestCluster.MessagesAsync(cluster.Secondaries[0].Url));

        using (var resumed = await TestCluster.SendRawAsync(HttpMethod.Put, admin, "{\"paused\": false}"))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        }

        using var answer = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal(["held"], await TestCluster.MessagesAsync(cluster.Secondaries[0].Url));
    }

    [Fact]
    public async Task FaultRoutesAreA404ThatSaysHowToEnableThemAndBadRatesAreA400()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 2,
            secondary: i => i == 0 ? new() { ["Faults:Enabled"] = "true" } : []);
        var off = new Uri(cluster.Secondaries[1].Url, "admin/faults");
        using (var get = await TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, off)))
        {
            await AssertProblemAsync(get, HttpStatusCode.NotFound, "Faults__Enabled=true");
        }

        using (var put = await TestCluster.SendRawAsync(HttpMethod.Put, off, "{\"paused\": true}"))
        {
            await AssertProblemAsync(put, HttpStatusCode.NotFound, "Faults__Enabled=true");
        }

        Assert.False((await TestCluster.HealthAsync(cluster.Secondaries[1].Url)).GetProperty("paused").GetBoolean());

        foreach (var body in new[] { "{\"dropRate\": 1.5}", "{\"errorAfterApplyRate\": -0.1}", "{\"delayMs\": -1}" })
        {
            using var bad = await TestCluster.SendRawAsync(HttpMethod.Put, new Uri(cluster.Secondaries[0].Url, "admin/faults"), body);
            Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, $"{body} answered {bad.StatusCode}");
        }
    }

    [Fact]
    public async Task ACurlBodyWithoutAContentTypeChangesTheFaults()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1, secondary: _ => new() { ["Faults:Enabled"] = "true" });
        var admin = new Uri(cluster.Secondaries[0].Url, "admin/faults");

        using var response = await SendWithoutContentTypeAsync(HttpMethod.Put, admin, "{\"delayMs\": 20, \"dropRate\": 0}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new FaultSettings(20, 0, 0, false), await response.Content.ReadFromJsonAsync<FaultSettings>());
        using var get = await TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, admin));
        Assert.Equal(new FaultSettings(20, 0, 0, false), await get.Content.ReadFromJsonAsync<FaultSettings>());
    }

    [Fact]
    public async Task TheDelayChangesAtRunTimeWithFaultInjectionOffAndAW2AppendStillWorks()
    {
        await using var cluster = await TestCluster.StartAsync(secondaries: 1);
        await cluster.WaitForWritableAsync();
        var secondary = cluster.Secondaries[0].Url;
        var delay = new Uri(secondary, "admin/delay");

        using (var changed = await SendWithoutContentTypeAsync(HttpMethod.Put, delay, "{\"delayMs\": 150}"))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.Equal(new DelaySettings(150), await changed.Content.ReadFromJsonAsync<DelaySettings>());
        }

        using (var read = await TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, delay)))
        {
            Assert.Equal(new DelaySettings(150), await read.Content.ReadFromJsonAsync<DelaySettings>());
        }

        var health = await TestCluster.HealthAsync(secondary);
        Assert.Equal(150, health.GetProperty("delayMs").GetInt32());
        Assert.False(health.GetProperty("faultsEnabled").GetBoolean());

        Assert.Equal(2, (await cluster.AppendOkAsync("after the delay", 2)).Acks);
        Assert.Equal(["after the delay"], await TestCluster.MessagesAsync(secondary));
    }

    /// <summary>What <c>curl -X PUT -d '{...}'</c> without <c>-H</c> sends: a body, and no JSON content type.</summary>
    private static Task<HttpResponseMessage> SendWithoutContentTypeAsync(HttpMethod method, Uri target, string body) =>
        TestCluster.SendAsync(new HttpRequestMessage(method, target) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) });

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString());
    }
}
