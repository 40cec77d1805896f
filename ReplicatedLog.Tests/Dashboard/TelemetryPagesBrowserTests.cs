using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Dashboard;

/// <summary>The telemetry pages in a real browser, fed by OpenTelemetry's own exporter.</summary>
public sealed class TelemetryPagesBrowserTests
{
    private const string Token = "telemetry-pages-token";

    [Fact]
    public async Task AStructuredLogLeadsToItsTraceWhoseWaterfallShowsItsSpans()
    {
        await using var dashboard = await TestDashboard.StartAsync($"Dashboard:Frontend:BrowserToken={Token}");
        using var source = new ActivitySource("TelemetryPagesBrowserTests");
        string traceId;
        using (var tracing = TracesOf(source, dashboard))
        using (var loggers = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("master"));
            o.AddOtlpExporter(e => Export(e, dashboard, "v1/logs"));
        })))
        {
            using (var append = source.StartActivity("append"))
            {
                traceId = append!.TraceId.ToHexString();
                using (source.StartActivity("wait for w"))
                {
                    loggers.CreateLogger("ReplicatedLog.Master.Replication.Appender").LogWarning("Append {Index} timed out", 7);
                }
            }

            Assert.True(tracing.ForceFlush(10_000));
        }

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(dashboard.Frontend, $"/login?t={Token}&returnUrl=%2Fstructuredlogs").ToString());
        var row = page.Locator("tbody tr").Filter(new() { HasText = "Append 7 timed out" });
        await Assertions.Expect(row).ToContainTextAsync("Warning");

        await BrowserSession.FollowAsync(page, row.GetByRole(AriaRole.Link, new() { Name = "trace" }));
        Assert.EndsWith($"/traces/detail/{traceId}", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".waterfall .label")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".waterfall .label").Nth(1)).ToContainTextAsync("wait for w");
    }

    [Fact]
    public async Task AListHoldsStillWhileThePointerRestsOnOneOfItsLinksAndCatchesUpWhenItLeaves()
    {
        await using var dashboard = await TestDashboard.StartAsync($"Dashboard:Frontend:BrowserToken={Token}");
        using var source = new ActivitySource("TelemetryPagesBrowserTests.Hold");
        using var tracing = TracesOf(source, dashboard);
        void Trace(string name)
        {
            source.StartActivity(name)!.Dispose();
            Assert.True(tracing.ForceFlush(10_000));
        }

        Trace("first append");
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(dashboard.Frontend, $"/login?t={Token}&returnUrl=%2Ftraces").ToString());
        var first = page.Locator("tbody a").Filter(new() { HasText = "first append" });
        await first.HoverAsync();
        // The element the pointer rests on: a redraw would replace it with a copy that lacks this mark.
        await first.EvaluateAsync("a => a.dataset.aimedAt = 'yes'");

        Trace("second append");
        // The page has heard of the new trace, and says it waits for the pointer instead of moving the rows.
        await Assertions.Expect(page.Locator("#held")).ToContainTextAsync("New telemetry");
        await Assertions.Expect(page.Locator("a[data-aimed-at='yes']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tbody")).Not.ToContainTextAsync("second append");

        await page.Mouse.MoveAsync(1, 1);
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync("second append");
        await Assertions.Expect(page.Locator("#held")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("a[data-aimed-at='yes']")).ToHaveCountAsync(0);
    }

    /// <summary>Exports what <paramref name="source"/> records to the dashboard, as the master's.</summary>
    private static TracerProvider TracesOf(ActivitySource source, TestDashboard dashboard) => Sdk.CreateTracerProviderBuilder()
        .ConfigureResource(r => r.AddService("master"))
        .AddSource(source.Name)
        .AddOtlpExporter(o => Export(o, dashboard, "v1/traces"))
        .Build();

    private static void Export(OtlpExporterOptions options, TestDashboard dashboard, string path)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri(dashboard.OtlpHttp, path);
        options.Headers = $"x-otlp-api-key={dashboard.OtlpApiKey}";
    }
}
