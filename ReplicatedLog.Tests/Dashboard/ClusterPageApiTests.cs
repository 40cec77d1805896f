using System.Net;
using System.Text;
using System.Text.Json;
using ReplicatedLog.Dashboard.Cluster;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Dashboard;

/// <summary>The Cluster page's API against a real cluster: the nodes' tails, an append with its trace id, a delay changed.</summary>
public sealed class ClusterPageApiTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private TestDashboard _dashboard = null!;
    private HttpClient _page = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync(2, started: [0], master: new() { ["Quorum:Enabled"] = "false" });
        _dashboard = await TestDashboard.StartAsync("--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true", $"--Dashboard:Cluster:MasterUrl={_cluster.MasterUrl}");
        _page = new HttpClient { BaseAddress = _dashboard.Frontend, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _page.Dispose();
        await _dashboard.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task EachNodeShowsTheTailOfItsLogAndAStoppedSecondaryShowsWhyNot()
    {
        for (var i = 1; i <= 20; i++)
        {
            await _cluster.AppendOkAsync($"m{i}", 2);
        }

        var snapshot = await Eventually.MatchAsync("secondary-1 to hold all 20 in the snapshot", () => GetAsync("/api/cluster"),
            s => Node(s, "secondary-1").TryGetProperty("lastIndex", out var last) && last.GetInt64() == 20, describe: s => s.ToString());

        var master = Node(snapshot, "master");
        Assert.Equal(Enumerable.Range(20 - ClusterApi.Tail + 1, ClusterApi.Tail).Select(i => $"m{i}"),
            master.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
        Assert.Equal(0, Node(snapshot, "secondary-1").GetProperty("delay").GetProperty("delayMs").GetInt32());
        Assert.True(Node(snapshot, "secondary-2").TryGetProperty("error", out _), Node(snapshot, "secondary-2").ToString());
        Assert.False(snapshot.GetProperty("health").GetProperty("readOnly").GetBoolean());
    }

    [Fact]
    public async Task AnAppendThroughThePageIsAnsweredWithTheMastersAnswerAndATraceIdTheMasterContinues()
    {
        using var response = await _page.PostAsync("/api/cluster/append", Json(new { message = "from the page", w = 2 }));
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(201, result.GetProperty("status").GetInt32());
        Assert.Equal(2, result.GetProperty("answer").GetProperty("acks").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$", result.GetProperty("traceId").GetString());
        Assert.Equal(["from the page"], await TestCluster.MessagesAsync(_cluster.MasterUrl));

        // What the master says no to comes back as the master said it.
        using var refused = await _page.PostAsync("/api/cluster/append", Json(new { message = "x", w = 9 }));
        var answer = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, answer.GetProperty("status").GetInt32());
        Assert.Contains("write concern", answer.GetProperty("answer").GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDelayOfASecondaryIsChangedFromThePage()
    {
        using var response = await _page.PutAsync($"/api/cluster/secondaries/{PeerName(0)}/delay", Json(new { delayMs = 250 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var check = await TestCluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(_cluster.Secondaries[0].Url, "/admin/delay")));
        Assert.Equal(250, JsonDocument.Parse(await check.Content.ReadAsStringAsync()).RootElement.GetProperty("delayMs").GetInt32());

        using var unknown = await _page.PutAsync("/api/cluster/secondaries/secondary-9/delay", Json(new { delayMs = 1 }));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>A node of the snapshot: the master by name, secondary-k by its address (the master names them so).</summary>
    private JsonElement Node(JsonElement snapshot, string name) =>
        snapshot.GetProperty("nodes").EnumerateArray().Single(n => name == "master"
            ? n.GetProperty("name").GetString() == "master"
            : n.GetProperty("url").GetString() == _cluster.Secondaries.Single(s => s.Name == name).Url.ToString());

    /// <summary>How the master names secondary-k, configured by its address.</summary>
    private string PeerName(int i) => $"{_cluster.Secondaries[i].Url.Host}:{_cluster.Secondaries[i].Url.Port}";

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _page.GetAsync(path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
