using Microsoft.Playwright;
using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Dashboard;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Dashboard;

/// <summary>The Resources page in a real browser, fed by the AppHost's resource service: a stop made there stops the process.</summary>
public sealed class ResourcesPageBrowserTests
{
    private const string Key = "resource-service-key";
    private const string Token = "resources-page-token";

    [Fact]
    public async Task StoppingAResourceFromThePageStopsItsProcessAndThePageShowsIt()
    {
        var builder = ClusterHostBuilder.Create(["--AppHost:GracePeriodMs=5000"]);
        builder.AddExecutable("secondary-2", "/bin/sh", AppContext.BaseDirectory, "-c", "echo ready; exec sleep 600");
        await using var host = builder.Build();
        await using var service = new ResourceService(host, Key, excluded: []);
        var url = await service.StartAsync();
        await using var dashboard = await TestDashboard.StartAsync($"Dashboard:Frontend:BrowserToken={Token}",
            $"Dashboard:ResourceServiceClient:Url={url}", $"Dashboard:ResourceServiceClient:ApiKey={Key}");
        await host.Runner.StartAsync("secondary-2");
        var pid = host.Runner["secondary-2"].ProcessId!.Value;
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(dashboard.Frontend, $"/login?t={Token}").ToString());
        var row = page.Locator("tr[data-resource='secondary-2']");
        await Assertions.Expect(row.Locator("td.state")).ToHaveTextAsync("Running");
        await row.GetByRole(AriaRole.Button, new() { Name = "stop", Exact = true }).ClickAsync();

        await Assertions.Expect(row.Locator("td.state")).ToContainTextAsync("Exited");
        // The page says Exited once the runner has seen the process end (and reaped it).
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still there");

        // Its console is a page of its own.
        await page.GotoAsync(new Uri(dashboard.Frontend, "/consolelogs/resource/secondary-2").ToString());
        await Assertions.Expect(page.Locator("pre.console")).ToContainTextAsync("ready");
    }
}
