using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReplicatedLog.Dashboard;
using ReplicatedLog.Dashboard.Telemetry;

namespace ReplicatedLog.Tests.Support;

/// <summary>The dashboard in-process on three free loopback ports (pages, OTLP/HTTP, OTLP/gRPC), stopped on dispose.</summary>
public sealed class TestDashboard : IAsyncDisposable
{
    private TestDashboard(WebApplication app, int firstPort)
    {
        App = app;
        Frontend = new Uri($"http://127.0.0.1:{firstPort}");
        OtlpHttp = new Uri($"http://127.0.0.1:{firstPort + 1}");
        OtlpGrpc = new Uri($"http://127.0.0.1:{firstPort + 2}");
    }

    public WebApplication App { get; }

    public Uri Frontend { get; }

    public Uri OtlpHttp { get; }

    public Uri OtlpGrpc { get; }

    public TelemetryStore Store => App.Services.GetRequiredService<TelemetryStore>();

    /// <param name="settings">More configuration, as command-line arguments (<c>--Dashboard:Otlp:PrimaryApiKey=k</c>).</param>
    public static async Task<TestDashboard> StartAsync(params string[] settings)
    {
        var port = FreePort.Block(3);
        var app = DashboardApp.Build([
            $"--urls=http://127.0.0.1:{port}",
            $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:{port + 1}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{port + 2}",
            .. settings,
        ]);
        await app.StartAsync();
        return new TestDashboard(app, port);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
