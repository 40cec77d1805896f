using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Dashboard;

/// <summary>The dashboard in a real browser: the login, and the course's w=3 scenario made on the Cluster page.</summary>
public sealed class ClusterPageBrowserTests : IAsyncLifetime
{
    private const string Token = "browser-test-token";
    private TestCluster _cluster = null!;
    private TestDashboard _dashboard = null!;
    private BrowserSession _browser = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync(2, started: [0], master: new() { ["Quorum:Enabled"] = "false" });
        _dashboard = await TestDashboard.StartAsync($"--Dashboard:Frontend:BrowserToken={Token}", $"--Dashboard:Cluster:MasterUrl={_cluster.MasterUrl}");
        _browser = await BrowserSession.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _dashboard.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task WithoutTheTokenThePageAsksForItAndTheLoginLinkOpensIt()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(_dashboard.Frontend, "/cluster").ToString());
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByLabel("Token")).ToBeVisibleAsync();

        await page.GetByLabel("Token").FillAsync("not the token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not this dashboard's");

        await page.GotoAsync(new Uri(_dashboard.Frontend, $"/login?t={Token}&returnUrl=%2Fcluster").ToString());
        Assert.Equal("/cluster", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator("section.node h2").First).ToHaveTextAsync("master");
    }

    [Fact]
    public async Task AW3AppendMadeOnTheClusterPageWaitsForTheMissingSecondaryThenAnswers()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(new Uri(_dashboard.Frontend, $"/login?t={Token}&returnUrl=%2Fcluster").ToString());

        await page.GetByLabel("Message").FillAsync("Msg3");
        await page.Locator("#append-w").SelectOptionAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Append" }).ClickAsync();
        var row = page.Locator("#appends tbody tr").Filter(new() { HasText = "Msg3" });
        await Assertions.Expect(row).ToContainTextAsync("waiting");
        // The master holds it and says so while it waits.
        await Assertions.Expect(page.Locator("#cluster-state")).ToContainTextAsync("1 appends waiting");

        await _cluster.StartSecondaryAsync(1);

        await Assertions.Expect(row).ToContainTextAsync(new Regex("201: index 1, 3 acks"));
        await Assertions.Expect(row.GetByRole(AriaRole.Link, new() { Name = "trace" })).ToHaveAttributeAsync("href", new Regex("^/traces/detail/[0-9a-f]{32}$"));
    }
}
