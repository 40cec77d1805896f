using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using ReplicatedLog.Dashboard.Cluster;
using ReplicatedLog.Dashboard.Frontend;
using ReplicatedLog.Dashboard.Otlp;
using ReplicatedLog.Dashboard.Resources;
using ReplicatedLog.Dashboard.Telemetry;
using ReplicatedLog.ServiceDefaults;
using ReplicatedLog.ServiceDefaults.Apis;

namespace ReplicatedLog.Dashboard;

/// <summary>
/// Builds the dashboard: a process of its own that receives OTLP from any service (over HTTP and gRPC, each on its
/// own port, as Aspire's dashboard does) and keeps it in memory for its pages. Program.cs and the tests call it.
/// </summary>
public static partial class DashboardApp
{
    /// <summary>Where the pages are served unless <c>ASPNETCORE_URLS</c> says otherwise (Aspire's default).</summary>
    public const string DefaultFrontendUrl = "http://localhost:18888";

    /// <summary>OTLP/HTTP unless <c>ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL</c> says otherwise.</summary>
    public const string DefaultOtlpHttpUrl = "http://localhost:18890";

    /// <summary>OTLP/gRPC unless <c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c> says otherwise.</summary>
    public const string DefaultOtlpGrpcUrl = "http://localhost:18889";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddQuietFrameworkLogging();
        configure?.Invoke(builder);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);

        var endpoints = DashboardEndpoints.Read(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Listen(kestrel, endpoints.Frontend, HttpProtocols.Http1);
            Listen(kestrel, endpoints.OtlpHttp, HttpProtocols.Http1);
            // gRPC without TLS needs an endpoint that speaks HTTP/2 only (h2c with prior knowledge).
            Listen(kestrel, endpoints.OtlpGrpc, HttpProtocols.Http2);
        });

        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<DashboardOptions>>().Value.TelemetryLimits);
        builder.Services.AddSingleton(sp => new OtlpApiKey(sp.GetRequiredService<IOptions<DashboardOptions>>().Value.Otlp));
        builder.Services.AddSingleton<TelemetryStore>();
        builder.Services.AddSingleton<OtlpReceiver>();
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddGrpc();
        BrowserLogin.Register(builder.Services);
        builder.Services.AddSingleton(sp => new ClusterClient(ClusterClient.CreateHttpClient(), sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddResourceServiceClient();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOtlpHttpApi().RequireHost($"*:{endpoints.OtlpHttp.Port}");
        var grpcHost = $"*:{endpoints.OtlpGrpc.Port}";
        app.MapGrpcService<OtlpGrpcServices.Traces>().RequireHost(grpcHost);
        app.MapGrpcService<OtlpGrpcServices.Logs>().RequireHost(grpcHost);
        app.MapGrpcService<OtlpGrpcServices.Metrics>().RequireHost(grpcHost);
        var frontendHost = $"*:{endpoints.Frontend.Port}";
        app.MapGet("/alive", () => "Healthy").RequireHost(frontendHost);
        app.MapLogin();
        app.MapPages(frontendHost);
        app.MapTelemetryApi().RequireAuthorization(BrowserLogin.Policy).RequireHost(frontendHost);
        app.MapClusterApi().RequireAuthorization(BrowserLogin.Policy).RequireHost(frontendHost);
        app.MapResourceApi().RequireAuthorization(BrowserLogin.Policy).RequireHost(frontendHost);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILogger<DashboardEndpoints>>();
            LogListening(logger, endpoints.OtlpHttp, endpoints.OtlpGrpc,
                app.Services.GetRequiredService<OtlpApiKey>().IsRequired ? "an API key" : "no key (unsecured)");
            var login = app.Services.GetRequiredService<BrowserLogin>();
            if (login.AllowsAnonymous)
            {
                LogAnonymous(logger, endpoints.Frontend);
            }
            else
            {
                LogLogin(logger, new Uri(endpoints.Frontend, $"/login?t={login.Token}"));
            }
        });
        return app;
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, HttpProtocols protocols)
    {
        void Configure(ListenOptions listen) => listen.Protocols = protocols;
        if (url.Host is "localhost")
        {
            kestrel.ListenLocalhost(url.Port, Configure);
        }
        else if (url.Host is "*" or "+" or "0.0.0.0" or "[::]")
        {
            kestrel.ListenAnyIP(url.Port, Configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(url.Host.Trim('[', ']')), url.Port, Configure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login to the dashboard at {LoginUrl}")]
    private static partial void LogLogin(ILogger logger, Uri loginUrl);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The dashboard at {Url} takes anyone who reaches it (ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true)")]
    private static partial void LogAnonymous(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTLP/HTTP listening on {OtlpHttp}, OTLP/gRPC on {OtlpGrpc}; telemetry needs {Auth}")]
    private static partial void LogListening(ILogger logger, Uri otlpHttp, Uri otlpGrpc, string auth);
}

/// <summary>The dashboard's three addresses, from the variables Aspire's dashboard reads.</summary>
public sealed record DashboardEndpoints(Uri Frontend, Uri OtlpHttp, Uri OtlpGrpc)
{
    public static DashboardEndpoints Read(IConfiguration configuration) => new(
        Url(configuration["urls"]?.Split(';')[0], DashboardApp.DefaultFrontendUrl),
        Url(configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"], DashboardApp.DefaultOtlpHttpUrl),
        Url(configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"], DashboardApp.DefaultOtlpGrpcUrl));

    private static Uri Url(string? text, string fallback)
    {
        // Kestrel's wildcards are not URI hosts: read them as "any address".
        var value = string.IsNullOrWhiteSpace(text) ? fallback : text.Trim().Replace("://*:", "://0.0.0.0:").Replace("://+:", "://0.0.0.0:");
        return Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme == "http"
            ? url
            : throw new InvalidOperationException($"'{text}' is not an http:// address with a port the dashboard can listen on.");
    }
}
