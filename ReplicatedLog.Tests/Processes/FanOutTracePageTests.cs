using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReplicatedLog.Dashboard.Telemetry;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Processes;

/// <summary>
/// The trace of one append as the dashboard shows it, from real processes: the master's request and its wait for w
/// (the append's span), and on the same time axis the batch that carried the entry to each secondary, with the secondary's
/// artificial delay and apply; and a Traces list that heartbeats and health probes do not flood.
/// </summary>
public sealed class FanOutTracePageTests(TracedCluster traced) : IClassFixture<TracedCluster>
{
    [Fact]
    public async Task AW3AppendMadeOnTheClusterPageLeadsToAWaterfallWithTheMasterAndBothSecondaries()
    {
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(traced.Dashboard.Frontend, $"/login?t={TracedCluster.BrowserToken}&returnUrl=%2Fcluster").ToString());

        // secondary-2 is stopped (SIGSTOP): the append waits for it.
        traced.Cluster.Runner.Pause("secondary-2");
        var row = page.Locator("#appends tbody tr").Filter(new() { HasText = "Traced on the page" });
        try
        {
            await page.GetByLabel("Message").FillAsync("Traced on the page");
            await page.Locator("#append-w").SelectOptionAsync("3");
            await page.GetByRole(AriaRole.Button, new() { Name = "Append" }).ClickAsync();
            await Assertions.Expect(row).ToContainTextAsync("waiting");
            // The master holds it: what the page shows as waiting is.
            await Eventually.MatchAsync("the master to hold an append waiting", () => traced.Cluster.MasterHealthAsync(),
                h => h.GetProperty("pendingWrites").GetInt32() > 0, describe: h => h.ToString());
        }
        finally
        {
            traced.Cluster.Runner.Resume("secondary-2");
        }

        await Assertions.Expect(row).ToContainTextAsync(new Regex(@"201: index \d+, 3 acks"));
        await BrowserSession.FollowAsync(page, row.GetByRole(AriaRole.Link, new() { Name = "trace" }));
        Assert.Matches("/traces/detail/[0-9a-f]{32}$", page.Url);

        // The append's own spans, then a group per batch, each drawn on the append's axis as the batches arrive.
        var waterfall = page.Locator(".waterfall");
        await Assertions.Expect(waterfall.Locator(":scope > .row[data-service='master']").Filter(new() { HasText = "wait for w" })).ToBeVisibleAsync();
        foreach (var secondary in new[] { "secondary-1", "secondary-2" })
        {
            var batch = waterfall.Locator(".linked").Filter(new() { Has = page.Locator(".group", new() { HasText = $"batch to {secondary}" }) });
            await Assertions.Expect(batch.Locator($".row[data-service='{secondary}']").Filter(new() { HasText = "apply" }).First).ToBeVisibleAsync();
            await Assertions.Expect(batch.Locator(".row[data-service='master']").Filter(new() { HasText = $"replicate to {secondary}" }).First).ToBeVisibleAsync();
        }

        var slow = waterfall.Locator(".linked").Filter(new() { HasText = "batch to secondary-2" });
        await Assertions.Expect(slow.Locator(".row[data-service='secondary-2']").Filter(new() { HasText = "artificial delay" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".trace-summary")).ToContainTextAsync("secondary-2");

        // A batch opens on its own, and leads back to the appends it carried.
        var appendUrl = page.Url;
        await BrowserSession.FollowAsync(page, slow.Locator(".group a").First);
        await Assertions.Expect(page.Locator(".carried")).ToBeVisibleAsync();
        await BrowserSession.FollowAsync(page, page.Locator(".carried a").Filter(new() { HasText = "POST /messages" }).First);
        Assert.Equal(appendUrl, page.Url);
    }

    [Fact]
    public async Task TheTraceOfAnAppendHoldsTheBatchesThatCarriedItWithEachSecondarysResourceName()
    {
        using var client = await traced.LoggedInClientAsync();
        var traceId = await AppendWithOwnTraceAsync("traced through the api");

        var trace = await Eventually.MatchAsync("the append's trace with both batches and the secondaries' work",
            () => GetAsync(client, $"/api/telemetry/traces/{traceId}"),
            t => AppliedBatchTo(t, "secondary-1") is not null
                && AppliedBatchTo(t, "secondary-2") is { } slow && Has(slow, "secondary-2", "artificial delay"),
            describe: t => t.ToString());

        // The append's own spans, named by what they are, on an axis that starts with the master's request.
        var own = trace.GetProperty("spans").EnumerateArray().ToList();
        Assert.Equal(0, own.Min(s => s.GetProperty("offsetMs").GetDouble()));
        Assert.Contains(own, s => Is(s, "master", "POST /messages"));
        Assert.Contains(own, s => Is(s, "master", "wait for w"));

        // Each batch: the master's send, its call on the replication stream, the secondary's receipt of it.
        var slowBatch = AppliedBatchTo(trace, "secondary-2")!.Value;
        var spans = slowBatch.GetProperty("spans").EnumerateArray().ToList();
        Assert.Contains(spans, s => Is(s, "master", "replicate to secondary-2"));
        Assert.Contains(spans, s => s.GetProperty("service").GetString() == "master" && s.GetProperty("kind").GetString() == "Client");
        Assert.Contains(spans, s => Is(s, "secondary-2", "replication/stream append"));
        Assert.True(spans.All(s => s.GetProperty("offsetMs").GetDouble() >= 0), "a batch drawn before the append it carried");

        Assert.Equal(["master", "secondary-1", "secondary-2"], trace.GetProperty("services").EnumerateArray().Select(s => s.GetString()).Order());
        var drawn = trace.GetProperty("spans").GetArrayLength()
            + trace.GetProperty("linkedFrom").EnumerateArray().Sum(b => b.GetProperty("spans").GetArrayLength());
        Assert.Equal(drawn, trace.GetProperty("spanCount").GetInt32());
    }

    [Fact]
    public async Task HeartbeatsHealthProbesAndTheDashboardsOwnLookAtTheNodesMakeNoTraces()
    {
        using var client = await traced.LoggedInClientAsync();
        // The Cluster page's look at every node: /health on the master, /log and the admin routes on each node.
        for (var i = 0; i < 3; i++)
        {
            using var snapshot = await client.GetAsync("/api/cluster");
            snapshot.EnsureSuccessStatusCode();
        }

        await traced.Cluster.WaitForWritableAsync(); // /health, and every secondary answering heartbeats
        var traceId = await AppendWithOwnTraceAsync("after the noise");

        // Each process exports in the order its spans end: once the append's batches are in, what came before is too.
        await Eventually.MatchAsync("the append's batches to both secondaries",
            () => GetAsync(client, $"/api/telemetry/traces/{traceId}"),
            t => AppliedBatchTo(t, "secondary-1") is not null && AppliedBatchTo(t, "secondary-2") is not null,
            describe: t => t.ToString());

        var noise = traced.Dashboard.Store.Spans().Where(IsNoise).ToList();
        Assert.True(noise.Count == 0, $"{noise.Count} spans of heartbeats, probes or the dashboard's look, e.g. "
            + string.Join("; ", noise.Take(5).Select(s => $"{s.Resource.Name}: {s.Name} {string.Join(" ", s.Attributes.Select(a => $"{a.Key}={a.Value}"))}")));
        // What the list does show: the appends.
        var list = await GetAsync(client, "/api/telemetry/traces?limit=5000");
        Assert.Contains(list.EnumerateArray(), t => t.GetProperty("name").GetString() == "master: POST /messages");
    }

    /// <summary>Appends with w=3 under a trace id made here, as the dashboard's Cluster page does.</summary>
    private async Task<string> AppendWithOwnTraceAsync(string message)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(traced.MasterUrl, "messages"))
        {
            Content = TestCluster.JsonContent(new { message, w = 3 }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await TestCluster.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"append answered {(int)response.StatusCode}");
        return traceId;
    }

    private static bool IsNoise(SpanView span)
    {
        var where = string.Join(" ", span.Attributes.Where(a => a.Key is "url.full" or "url.path" or "http.route").Select(a => a.Value)) + " " + span.Name;
        return new[] { "/replication/heartbeat", "/health", "/alive", "/log", "/admin/" }.Any(p => where.Contains(p, StringComparison.Ordinal));
    }

    /// <summary>
    /// The batch to <paramref name="secondary"/> that the secondary applied, or null. An attempt before it may show too,
    /// without an apply: one the master timed out or interrupted (the slow secondary's delay against the attempt's
    /// time), then sent again as a batch of its own.
    /// </summary>
    private static JsonElement? AppliedBatchTo(JsonElement trace, string secondary) =>
        trace.GetProperty("linkedFrom").EnumerateArray()
            .Where(b => b.GetProperty("secondary").GetString() == secondary && Has(b, secondary, "apply"))
            .Select(b => (JsonElement?)b).FirstOrDefault();

    private static bool Has(JsonElement? batch, string service, string name) =>
        batch?.GetProperty("spans").EnumerateArray().Any(s => Is(s, service, name)) == true;

    private static bool Is(JsonElement span, string service, string name) =>
        span.GetProperty("service").GetString() == service && span.GetProperty("name").GetString() == name;

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
