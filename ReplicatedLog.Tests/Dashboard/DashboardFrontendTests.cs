using System.Net;
using System.Text.Json;
using ReplicatedLog.Dashboard.Telemetry;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Dashboard;

/// <summary>The dashboard's login (a browser token that becomes a cookie) and the JSON its pages are drawn from.</summary>
public sealed class DashboardFrontendTests : IAsyncDisposable
{
    private const string Token = "browser-token";
    private readonly CookieContainer _cookies = new();
    private HttpClient _browser = null!;
    private TestDashboard? _dashboard;

    private TelemetryStore Store => _dashboard!.Store;

    [Fact]
    public async Task WithoutTheTokenPagesLeadToTheLoginAndTheApiRefuses()
    {
        await StartAsync();

        using var page = await _browser.GetAsync("/traces");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?returnUrl=%2Ftraces", page.Headers.Location!.PathAndQuery);

        using var api = await _browser.GetAsync("/api/telemetry/traces");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);

        using var wrong = await _browser.GetAsync("/login?t=not-it");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var stillRefused = await _browser.GetAsync("/api/telemetry/traces");
        Assert.Equal(HttpStatusCode.Unauthorized, stillRefused.StatusCode);
    }

    [Fact]
    public async Task TheLoginLinkGivesACookieAndGoesWhereTheUserWasGoing()
    {
        await StartAsync();

        using var login = await _browser.GetAsync($"/login?t={Token}&returnUrl=%2Ftraces");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/traces", login.Headers.Location!.OriginalString);
        Assert.Contains(_cookies.GetAllCookies(), c => c.Name == ReplicatedLog.Dashboard.Frontend.BrowserLogin.CookieName && c.HttpOnly);

        using var page = await _browser.GetAsync("/traces");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script src=\"/app.js\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var api = await _browser.GetAsync("/api/telemetry/traces");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);

        // Only a path of the dashboard itself is a place to return to.
        using var elsewhere = await _browser.GetAsync($"/login?t={Token}&returnUrl=%2F%2Fexample.com");
        Assert.Equal("/", elsewhere.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true")]
    [InlineData("--Dashboard:Frontend:AuthMode=Unsecured")]
    public async Task AllowAnonymousTurnsTheLoginOff(string setting)
    {
        await StartAsync(setting);

        using var page = await _browser.GetAsync("/structuredlogs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var api = await _browser.GetAsync("/api/telemetry/logs");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task LogsAreFilteredByLevelAndTextNewestFirstAndLinkToTheirTrace()
    {
        await LoggedInAsync();
        var master = Resource("master");
        Store.AddLogs(master,
        [
            Log(master, 9, "Information", "Sent entries 1..3 to secondary-1", "aaaa"),
            Log(master, 13, "Warning", "secondary-2 is now Suspected", null),
            Log(master, 17, "Error", "Master turns read-only", "bbbb"),
        ]);

        var warnings = await GetAsync("/api/telemetry/logs?level=Warning");
        Assert.Equal(["Master turns read-only", "secondary-2 is now Suspected"], warnings.EnumerateArray().Select(l => l.GetProperty("message").GetString()));
        var sent = Assert.Single((await GetAsync("/api/telemetry/logs?text=secondary-1")).EnumerateArray());
        Assert.Equal("aaaa", sent.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task AnAppendsTraceDrawsTheBatchesThatLinkToItOnItsOwnTimeAxisAndABatchLinksBackToTheAppends()
    {
        await LoggedInAsync();
        var (master, slow, fast) = (Resource("master"), Resource("secondary-2"), Resource("secondary-1"));
        var start = DateTimeOffset.UtcNow;
        Store.AddSpans(master, [Span(master, "append", "a1", "11", null, start, 2_000)]);
        // Each batch that carried the append lives in a trace of its own and links to the append.
        Store.AddSpans(master,
        [
            Span(master, "replicate to secondary-2", "b2", "21", null, start.AddMilliseconds(1), 1_990, link: ("a1", "11"), secondary: "secondary-2"),
            Span(master, "replicate to secondary-1", "b1", "31", null, start.AddMilliseconds(2), 5, link: ("a1", "11"), secondary: "secondary-1"),
        ]);
        Store.AddSpans(slow, [Span(slow, "artificial delay", "b2", "22", "21", start.AddMilliseconds(3), 1_980), Span(slow, "apply", "b2", "23", "21", start.AddMilliseconds(1_984), 2)]);
        Store.AddSpans(fast, [Span(fast, "apply", "b1", "32", "31", start.AddMilliseconds(4), 1)]);

        var append = await GetAsync("/api/telemetry/traces/a1");
        Assert.Equal(["append"], Names(append.GetProperty("spans")));
        var batches = append.GetProperty("linkedFrom").EnumerateArray().ToList();
        Assert.Equal(["b2", "b1"], batches.Select(b => b.GetProperty("traceId").GetString()));
        Assert.Equal(["secondary-2", "secondary-1"], batches.Select(b => b.GetProperty("secondary").GetString()));
        Assert.Equal(["replicate to secondary-2", "artificial delay", "apply"], Names(batches[0].GetProperty("spans")));
        // On the append's time axis: the slow secondary's delay starts 3 ms after the append.
        var delay = batches[0].GetProperty("spans")[1];
        Assert.Equal(("secondary-2", 3.0, 1_980.0), (delay.GetProperty("service").GetString(), delay.GetProperty("offsetMs").GetDouble(), delay.GetProperty("durationMs").GetDouble()));
        // What is counted says what is drawn: the append's span and the five of its two batches.
        Assert.Equal((6, 1), (append.GetProperty("spanCount").GetInt32(), append.GetProperty("own").GetProperty("spanCount").GetInt32()));
        Assert.Equal(["master", "secondary-2", "secondary-1"], append.GetProperty("services").EnumerateArray().Select(s => s.GetString()));

        var batch = await GetAsync("/api/telemetry/traces/b2");
        var carried = Assert.Single(batch.GetProperty("linksTo").EnumerateArray());
        Assert.Equal(("a1", "master: append", true), (carried.GetProperty("traceId").GetString(), carried.GetProperty("name").GetString(), carried.GetProperty("known").GetBoolean()));
        Assert.Empty(batch.GetProperty("linkedFrom").EnumerateArray());

        var list = await GetAsync("/api/telemetry/traces");
        Assert.Equal(["b1", "b2", "a1"], list.EnumerateArray().Select(t => t.GetProperty("traceId").GetString()));
        Assert.Equal(["master", "secondary-2"], list[1].GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(2, list[2].GetProperty("linkedFrom").GetInt32());

        using var missing = await _browser.GetAsync("/api/telemetry/traces/ffff");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ABatchThatIsDroppedNoLongerLinksToTheAppend()
    {
        await StartAsync("--Dashboard:TelemetryLimits:MaxSpanCount=1");
        using var login = await _browser.GetAsync($"/login?t={Token}");
        var master = Resource("master");
        var start = DateTimeOffset.UtcNow;
        Store.AddSpans(Resource("client"), [Span(Resource("client"), "append", "a1", "11", null, start, 10)]);
        Store.AddSpans(master, [Span(master, "replicate to secondary-1", "b1", "21", null, start, 5, link: ("a1", "11"))]);
        Assert.Single((await GetAsync("/api/telemetry/traces/a1")).GetProperty("linkedFrom").EnumerateArray());

        // The master keeps one span: the next one pushes the batch out.
        Store.AddSpans(master, [Span(master, "replicate to secondary-1", "b2", "31", null, start, 5)]);
        Assert.Empty((await GetAsync("/api/telemetry/traces/a1")).GetProperty("linkedFrom").EnumerateArray());
    }

    [Fact]
    public async Task TheChangesPollAnswersWhenTelemetryArrives()
    {
        await LoggedInAsync();
        var version = (await GetAsync("/api/telemetry/changes?since=-1")).GetProperty("version").GetInt64();

        var waiting = GetAsync($"/api/telemetry/changes?since={version}");
        Assert.False(waiting.IsCompleted);
        var master = Resource("master");
        Store.AddLogs(master, [Log(master, 9, "Information", "something new", null)]);

        Assert.True((await waiting.WaitAsync(TimeSpan.FromSeconds(20))).GetProperty("version").GetInt64() > version);
    }

    public async ValueTask DisposeAsync()
    {
        _browser?.Dispose();
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
    }

    private async Task StartAsync(params string[] extra)
    {
        _dashboard = await TestDashboard.StartAsync([$"--Dashboard:Frontend:BrowserToken={Token}", .. extra]);
        _browser = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false })
        {
            BaseAddress = _dashboard.Frontend,
            Timeout = TimeSpan.FromSeconds(20),
        };
    }

    private async Task LoggedInAsync()
    {
        await StartAsync();
        using var login = await _browser.GetAsync($"/login?t={Token}");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _browser.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static TelemetryResource Resource(string name) => new(name, name, []);

    private static LogRecordView Log(TelemetryResource resource, int severity, string level, string message, string? traceId) =>
        new(resource, DateTimeOffset.UtcNow, severity, level, "test", message, [], traceId, traceId is null ? null : "01");

    private static SpanView Span(
        TelemetryResource resource, string name, string traceId, string spanId, string? parent, DateTimeOffset start, double ms,
        (string TraceId, string SpanId)? link = null, string? secondary = null) =>
        new(resource, "test", traceId, spanId, parent, name, "Internal", start, start.AddMilliseconds(ms), "Unset", null,
            secondary is null ? [] : [new("replicatedlog.secondary", secondary)], [],
            link is { } l ? [new SpanLinkView(l.TraceId, l.SpanId, [])] : []);

    private static IEnumerable<string?> Names(JsonElement spans) => spans.EnumerateArray().Select(s => s.GetProperty("name").GetString());
}
