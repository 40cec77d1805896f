using Microsoft.Playwright;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Dashboard;

/// <summary>The Metrics page in a real browser, fed by a master and its secondaries exporting to the dashboard.</summary>
public sealed class MetricsPageBrowserTests
{
    private const string Token = "metrics-page-token";

    [Fact]
    public async Task TheMastersInstrumentsShowARowAndALinePerSecondaryAndTheAppendDurationUnderItsWAndCanBeFilteredByName()
    {
        await using var dashboard = await TestDashboard.StartAsync($"Dashboard:Frontend:BrowserToken={Token}");
        var settings = dashboard.ExporterSettings(instanceId: "master");
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "200";
        await using var cluster = await TestCluster.StartAsync(secondaries: 2, master: settings);
        await cluster.WaitForWritableAsync();
        var secondaries = cluster.Registry.Peers.Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        await cluster.AppendOkAsync("charted", 3);

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(dashboard.Frontend, $"/login?t={Token}&returnUrl=%2Fmetrics").ToString());

        // The master is the only resource sending telemetry here, so the page shows it. Every secondary a row of its own, with its value (both hold the one entry) and a line over time.
        var lag = page.Locator("tr[data-instrument='replicatedlog.master.secondary.lag']");
        await Assertions.Expect(lag).ToHaveCountAsync(2);
        for (var i = 0; i < secondaries.Count; i++)
        {
            await Assertions.Expect(lag.Nth(i).Locator("td.series")).ToHaveTextAsync($"secondary={secondaries[i]}");
            await Assertions.Expect(lag.Nth(i).Locator("td.last")).ToHaveTextAsync("0");
            await Assertions.Expect(lag.Nth(i).Locator(".chart polyline")).ToHaveCountAsync(1);
        }

        var duration = page.Locator("tr[data-instrument='replicatedlog.master.append.duration'][data-series='w=3']");
        await Assertions.Expect(duration.Locator("td.last")).ToContainTextAsync("1 in all");

        await page.FillAsync("#metrics-instrument", "replicatedlog.master.secondary.");
        await page.PressAsync("#metrics-instrument", "Enter");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(6); // acked index, lag and status, per secondary
        await Assertions.Expect(lag).ToHaveCountAsync(2);
    }
}
