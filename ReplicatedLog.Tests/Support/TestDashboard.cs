using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Dashboard;
using ReplicatedLog.AppHost.Hosting.Model;
using ReplicatedLog.Dashboard;
using ReplicatedLog.Dashboard.Telemetry;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// The dashboard in-process on three free loopback ports (pages, OTLP/HTTP, OTLP/gRPC), with an OTLP API key,
/// stopped on dispose.
/// </summary>
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

    /// <summary>The key OTLP calls must carry unless a setting gives another.</summary>
    public string OtlpApiKey { get; private init; } = DefaultOtlpApiKey;

    private const string DefaultOtlpApiKey = "test-otlp-key";

    /// <param name="settings">More configuration, <c>Section:Key=value</c> (a leading <c>--</c> is fine); later ones win.</param>
    public static async Task<TestDashboard> StartAsync(params string[] settings)
    {
        var port = FreePort.Block(3);
        var extra = settings.Select(s => s.StartsWith("--", StringComparison.Ordinal) ? s : $"--{s}").ToList();
        var app = DashboardApp.Build([
            $"--urls=http://127.0.0.1:{port}",
            $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:{port + 1}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{port + 2}",
            $"--Dashboard:Otlp:PrimaryApiKey={DefaultOtlpApiKey}",
            "--Logging:LogLevel:Default=Warning",
            .. extra,
        ]);
        await app.StartAsync();
        var key = extra.LastOrDefault(s => s.StartsWith("--Dashboard:Otlp:PrimaryApiKey=", StringComparison.Ordinal))?.Split('=', 2)[1];
        return new TestDashboard(app, port) { OtlpApiKey = key ?? DefaultOtlpApiKey };
    }

    /// <summary>What the AppHost gives a service so that it sends its telemetry here, as configuration keys.</summary>
    public Dictionary<string, string?> ExporterSettings(string instanceId) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = OtlpHttp.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-otlp-api-key={OtlpApiKey}",
        ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instanceId}",
    };

    /// <summary>Every resource of <paramref name="builder"/> sends its telemetry here, wired as the AppHost wires them.</summary>
    public void ReceiveFrom(ClusterHostBuilder builder)
    {
        var key = builder.AddParameter("dashboard-otlp-api-key", OtlpApiKey, secret: true);
        var otlpHttp = new Endpoint("dashboard", DashboardResource.OtlpHttpEndpoint, "http", OtlpHttp.Port);
        foreach (var resource in builder.Resources)
        {
            resource.WithOtlpExporter(otlpHttp, key);
        }
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
