using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReplicatedLog.Dashboard;
using ReplicatedLog.Dashboard.Telemetry;

namespace ReplicatedLog.Tests.Support;

/// <summary>The dashboard in the test process, on three free ports, with an OTLP API key; stopped on dispose.</summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private DashboardServer(WebApplication app, int firstPort, string apiKey)
    {
        App = app;
        Frontend = new Uri($"http://127.0.0.1:{firstPort}/");
        OtlpHttp = new Uri($"http://127.0.0.1:{firstPort + 1}/");
        OtlpApiKey = apiKey;
    }

    public WebApplication App { get; }

    public Uri Frontend { get; }

    public Uri OtlpHttp { get; }

    public string OtlpApiKey { get; }

    public TelemetryStore Store => App.Services.GetRequiredService<TelemetryStore>();

    /// <param name="settings">More configuration keys, as <c>Section:Key=value</c>.</param>
    public static async Task<DashboardServer> StartAsync(params string[] settings)
    {
        const string key = "test-otlp-key";
        var port = FreePort.Block(3);
        var app = DashboardApp.Build([
            $"--urls=http://127.0.0.1:{port}",
            $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:{port + 1}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{port + 2}",
            $"--Dashboard:Otlp:PrimaryApiKey={key}",
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(s => $"--{s}"),
        ]);
        await app.StartAsync();
        return new DashboardServer(app, port, key);
    }

    /// <summary>What the AppHost gives a service so that it sends its telemetry here, as configuration keys.</summary>
    public Dictionary<string, string?> ExporterSettings(string instanceId) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = OtlpHttp.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-otlp-api-key={OtlpApiKey}",
        ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instanceId}",
    };

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
