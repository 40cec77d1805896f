using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Dashboard;

/// <summary>
/// The README's pictures of the dashboard, taken of what <c>dotnet run --project ReplicatedLog.AppHost</c> runs: the
/// AppHost's own topology (the dashboard, a master, secondary-1, and secondary-2 slowed down by 2 s) as real
/// processes, in a real browser at a laptop's size. A user's path through it: log in with the link, make the course's
/// appends (w=1, 2, 3) on the Cluster page, look at every page, then slow secondary-2 down and watch a w=3 append wait.
/// Each page is checked for what a user relies on before it is photographed. With <c>REPLICATEDLOG_SCREENSHOTS</c>
/// naming a directory the images go there (<c>docs/images</c> refreshes the README's); otherwise to a temp directory,
/// removed afterwards.
/// </summary>
public sealed class ReadmeScreenshots
{
    public const string DirectoryVariable = "REPLICATEDLOG_SCREENSHOTS";
    private static readonly ViewportSize Laptop = new() { Width = 1366, Height = 800 };
    private static readonly string[] Resources = ["dashboard", "master", "secondary-1", "secondary-2"];

    [Fact]
    public async Task EveryPageShowsTheClusterAndItsTelemetryAsAUserRunsItAndIsSavedAsAnImage()
    {
        using var scratch = new TempDirectory("screenshots");
        var images = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } asked
            ? Directory.CreateDirectory(asked).FullName
            : scratch.Path;
        using var data = new TempDirectory("screenshots-cluster");
        await using var host = BuildAppHost(data.Path);
        await host.StartAsync();
        await TestCluster.WaitForWritableAsync(host.Runner["master"].Url, writable: true);
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.NewPageAsync(Laptop);

        await page.GotoAsync(host.Dashboard!.LoginUrl.ToString());
        await ExpectHeadingAsync(page, "Resources");
        foreach (var name in Resources)
        {
            await Assertions.Expect(Row(page, name)).ToContainTextAsync("Running");
        }

        await Assertions.Expect(Row(page, "secondary-2")).ToContainTextAsync("2000 ms");
        await SaveAsync(page, images, "resources.png");

        // The course's acceptance scenario, made on the Cluster page.
        await OpenAsync(page, "Cluster");
        await AppendAsync(page, "Msg1", "1");
        await AppendAsync(page, "Msg2", "2");
        var msg3 = await AppendAsync(page, "Msg3", "3");
        await Assertions.Expect(msg3).ToContainTextAsync("3 acks");
        var msg3Trace = await msg3.GetByRole(AriaRole.Link, new() { Name = "trace" }).GetAttributeAsync("href");
        Assert.Matches("^/traces/detail/[0-9a-f]{32}$", msg3Trace);

        await OpenAsync(page, "Console");
        await page.GetByLabel("Resource").SelectOptionAsync("master");
        await Assertions.Expect(page.Locator("main pre")).ToContainTextAsync("Append 3 (w=3) held by 3 nodes");
        await SaveAsync(page, images, "console.png");

        await OpenAsync(page, "Structured logs");
        var held = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Append 3 (w=3) held by 3 nodes" });
        await Assertions.Expect(held).ToContainTextAsync("master");
        await Assertions.Expect(held.GetByRole(AriaRole.Link, new() { Name = "trace" })).ToHaveAttributeAsync("href", msg3Trace!);
        foreach (var secondary in new[] { "secondary-1", "secondary-2" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = secondary }).Filter(new() { HasText = "applied up to 3," })).Not.ToHaveCountAsync(0);
        }

        await SaveAsync(page, images, "structured-logs.png");

        await OpenAsync(page, "Traces");
        var msg3Link = page.Locator($"main a[href='{msg3Trace}']");
        await Assertions.Expect(msg3Link).ToBeVisibleAsync();
        // Each batch to the slow secondary is a trace of its own, across the master and it.
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "replicate to secondary-2" }).First).ToContainTextAsync("secondary-2");
        await SaveAsync(page, images, "traces.png");

        await BrowserSession.FollowAsync(page, msg3Link);
        await ExpectHeadingAsync(page, "Trace");
        await Assertions.Expect(page.GetByText("wait for w").First).ToBeVisibleAsync();
        await ExpectSecondariesWorkShownAsync(page, msg3Trace!);
        await SaveAsync(page, images, "trace-w3.png");

        await OpenAsync(page, "Metrics");
        await Assertions.Expect(page.GetByText("replicatedlog.master.appends").First).ToBeVisibleAsync();
        // The picture shows our own instruments, a line per secondary, rather than HttpClient's, which sort first.
        await page.GetByLabel("Instrument").FillAsync("replicatedlog.master.");
        await page.GetByLabel("Instrument").PressAsync("Enter");
        await Assertions.Expect(page.Locator("tbody tr").First).ToHaveAttributeAsync("data-instrument", new Regex("^replicatedlog\\.master\\."));
        await SaveAsync(page, images, "metrics.png");

        // Slowed down to 5 s, secondary-2 holds up a w=3 append, which the page shows waiting until it is answered.
        await OpenAsync(page, "Cluster");
        var slow = page.Locator("section").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "secondary-2", Exact = true }) });
        await slow.GetByLabel("Delay (ms)").FillAsync("5000");
        await slow.GetByRole(AriaRole.Button, new() { Name = "Set" }).ClickAsync();
        await Assertions.Expect(slow.GetByLabel("Delay (ms)")).ToHaveValueAsync("5000");
        await WaitForAHeartbeatAsync(host.Runner["master"].Url, "secondary-2", since: DateTimeOffset.UtcNow);
        var msg4 = await AppendAsync(page, "Msg4", "3", answered: false);
        await Assertions.Expect(msg4).ToContainTextAsync("waiting");
        await Assertions.Expect(page.GetByText(new Regex("1 appends? waiting"))).ToBeVisibleAsync();
        await Assertions.Expect(slow).ToContainTextAsync("missing");
        await SaveAsync(page, images, "cluster.png");

        // secondary-2 sleeps 5 s before it applies: longer than an expectation's default 5 s.
        await Assertions.Expect(msg4).ToContainTextAsync("201: index 4, 3 acks", new() { Timeout = 60_000 });
    }

    /// <summary>The AppHost's topology with its dashboard, on free ports, as <c>Program.Main</c> builds it.</summary>
    private static ClusterHost BuildAppHost(string dataDirectory)
    {
        var nodes = FreePort.Block(3);
        var dashboard = FreePort.Block(3);
        var builder = ClusterHostBuilder.Create([
            "--secondaries", "2", "--base-port", $"{nodes}", "--delay", "secondary-1=0", "--delay", "secondary-2=2000",
            "--dashboard-port", $"{dashboard}", $"--AppHost:Dashboard:OtlpGrpcPort={dashboard + 1}", $"--AppHost:Dashboard:OtlpHttpPort={dashboard + 2}",
            $"--AppHost:DataDirectory={dataDirectory}", "--AppHost:GracePeriodMs=3000",
        ]);
        builder.AddDashboard();
        return ReplicatedLog.AppHost.Program.Topology(builder).Build();
    }

    /// <summary>
    /// Waits until the master has heard from <paramref name="secondary"/> after <paramref name="since"/>: it then knows
    /// the delay the secondary reports, and gives a batch to it that much more time before retrying it.
    /// </summary>
    private static Task WaitForAHeartbeatAsync(Uri master, string secondary, DateTimeOffset since) =>
        Eventually.MatchAsync($"a heartbeat of {secondary} answered after {since:O}", () => TestCluster.HealthAsync(master),
            health => health.GetProperty("secondaries").EnumerateArray().Any(s => s.GetProperty("name").GetString() == secondary
                && s.GetProperty("lastHeartbeat").ValueKind == JsonValueKind.String && s.GetProperty("lastHeartbeat").GetDateTimeOffset() > since),
            describe: health => health.ToString());

    /// <summary>Goes to a page through the navigation bar, as a user does (the page keeps what it holds in memory).</summary>
    private static async Task OpenAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
        await ExpectHeadingAsync(page, name);
    }

    private static Task ExpectHeadingAsync(IPage page, string name) =>
        Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(name);

    private static ILocator Row(IPage page, string resource) =>
        page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = resource, Exact = true }) });

    /// <summary>Appends through the Cluster page's form; returns the append's row, once answered unless told otherwise.</summary>
    private static async Task<ILocator> AppendAsync(IPage page, string message, string w, bool answered = true)
    {
        await page.GetByLabel("Message").FillAsync(message);
        await page.GetByRole(AriaRole.Combobox, new() { NameRegex = new Regex("^w\\b") }).SelectOptionAsync(w);
        await page.GetByRole(AriaRole.Button, new() { Name = "Append" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = message, Exact = true }) });
        if (answered)
        {
            await Assertions.Expect(row).ToContainTextAsync(new Regex("201: index \\d+"));
        }

        return row;
    }

    /// <summary>
    /// The append's trace shows the master's request and its wait for w; each secondary's part (its request, the
    /// slow one's artificial delay, its apply) is in the batch that carried the entry, which the trace page shows or
    /// leads to. Checked on the page and, for whose spans they are, through the API the page reads.
    /// </summary>
    private static async Task ExpectSecondariesWorkShownAsync(IPage page, string tracePath)
    {
        var traceId = tracePath.Split('/')[^1];
        var other = await page.Context.NewPageAsync();
        try
        {
            await Eventually.MatchAsync("the spans of master, secondary-1 and secondary-2 on the trace page or the traces it leads to", async () =>
            {
                var links = await page.Locator("main a[href^='/traces/detail/']").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))");
                var texts = new List<string> { await page.Locator("main").InnerTextAsync() };
                var services = new HashSet<string>(await ServicesOfAsync(page, traceId));
                foreach (var link in links.Distinct().Where(l => l != tracePath))
                {
                    await other.GotoAsync(new Uri(new Uri(page.Url), link).ToString());
                    await ExpectHeadingAsync(other, "Trace");
                    texts.Add(await other.Locator("main").InnerTextAsync());
                    services.UnionWith(await ServicesOfAsync(page, link.Split('/')[^1]));
                }

                return (Text: string.Join("\n", texts), Services: services);
            }, seen => seen.Text.Contains("artificial delay", StringComparison.Ordinal) && seen.Text.Contains("apply", StringComparison.Ordinal)
                && new[] { "master", "secondary-1", "secondary-2" }.All(seen.Services.Contains),
                describe: seen => $"services {string.Join(", ", seen.Services)}; pages: {seen.Text}");
        }
        finally
        {
            await other.CloseAsync();
        }
    }

    /// <summary>The services with spans in a trace, from the dashboard's API (with the browser's login cookie).</summary>
    private static async Task<IEnumerable<string>> ServicesOfAsync(IPage page, string traceId)
    {
        var response = await page.APIRequest.GetAsync(new Uri(new Uri(page.Url), $"/api/telemetry/traces/{traceId}").ToString());
        if (!response.Ok)
        {
            return [];
        }

        using var trace = JsonDocument.Parse(await response.TextAsync());
        return [.. trace.RootElement.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("service").GetString()!)];
    }

    /// <summary>The viewport as it is (not the whole page: images stay small), once the page has drawn.</summary>
    private static async Task SaveAsync(IPage page, string directory, string name)
    {
        var path = Path.Combine(directory, name);
        await page.ScreenshotAsync(new() { Path = path, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        Assert.True(new FileInfo(path).Length > 0, $"{path} is empty");
    }
}
