using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReplicatedLog.ServiceDefaults.Apis;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.ServiceDefaults.Discovery;
using ReplicatedLog.ServiceDefaults.Health;
using ReplicatedLog.ServiceDefaults.Hosting;
using ReplicatedLog.ServiceDefaults.Logging;
using ReplicatedLog.ServiceDefaults.Security;
using ReplicatedLog.ServiceDefaults.Telemetry;

namespace ReplicatedLog.ServiceDefaults;

/// <summary>
/// What every ReplicatedLog service gets: console logs that name the service, OpenTelemetry when an OTLP endpoint
/// is configured, health checks, problem details, OpenAPI, service discovery and the cluster settings.
/// </summary>
public static class Extensions
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";

    /// <summary>The browsable API page (Swagger UI over <c>/openapi/v1.json</c>).</summary>
    public const string DocsPath = "/docs";
    private const string LiveTag = "live";

    /// <summary>The level of ASP.NET Core's hosting logger, off when nothing is exported (see <see cref="AddOpenTelemetryExport"/>).</summary>
    private const string HostingLogLevelKey = "Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>The service's name: <c>OTEL_SERVICE_NAME</c> when set, otherwise <paramref name="fallback"/>.</summary>
    public static string ServiceName(this IConfiguration configuration, string fallback) =>
        configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : fallback;

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string defaultServiceName)
        where TBuilder : IHostApplicationBuilder
    {
        var serviceName = builder.Configuration.ServiceName(defaultServiceName);

        builder.Logging.AddConsole(o => o.FormatterName = ServiceConsoleFormatter.FormatterName)
            .AddConsoleFormatter<ServiceConsoleFormatter, ServiceConsoleFormatterOptions>(o => o.ServiceName = serviceName);
        builder.AddOpenTelemetryExport(serviceName);

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, WireJsonContext.Default);
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        builder.Services.AddOpenApi();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServiceEndpointResolver>();
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName);
        builder.Services.AddOptions<TracingOptions>().BindConfiguration(TracingOptions.SectionName);
        builder.Services.AddSingleton<ClusterTokenFilter>();
        builder.Services.AddHostedService<ClusterModeReport>();
        if (builder.Configuration[ParentLifelineService.Variable] == "stdin")
        {
            builder.Services.AddHostedService<ParentLifelineService>();
        }

        return builder;
    }

    /// <summary>
    /// Traces, metrics and logs go to the OTLP endpoint an Aspire AppHost gives (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>);
    /// without one nothing is exported and nothing is paid for. The SDK reads the rest of the contract from
    /// configuration itself (environment variables included): <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
    /// <c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c> (<c>service.instance.id</c>),
    /// <c>OTEL_BSP_SCHEDULE_DELAY</c>, <c>OTEL_BLRP_SCHEDULE_DELAY</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c>. Its providers
    /// belong to the service container, so stopping the service flushes what is still batched.
    /// </summary>
    private static void AddOpenTelemetryExport(this IHostApplicationBuilder builder, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // ASP.NET Core makes an Activity (and a log scope) for every request while its hosting logger is on at
            // any level, for the log lines to carry the trace; with nothing exported no line carries one (the console
            // shows none), so that category is off unless configuration turns it on: about a tenth of what the master
            // allocated per append at 64 clients, the Activity with the execution contexts that setting it costs.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = new Dictionary<string, string?> { [HostingLogLevelKey] = nameof(LogLevel.None) },
            });
            return;
        }

        // The same section RequestSpans reads through options; the provider is built before the container is.
        var tracing = builder.Configuration.GetSection(TracingOptions.SectionName).Get<TracingOptions>() ?? new TracingOptions();
        builder.Services.AddOpenTelemetry()
            // No generated instance id: the one in OTEL_RESOURCE_ATTRIBUTES (the AppHost's resource name) stays.
            .ConfigureResource(r => r.AddService(serviceName, autoGenerateServiceInstanceId: false))
            .WithTracing(t =>
            {
                t.AddSource("ReplicatedLog.*", "Microsoft.AspNetCore", "System.Net.Http");
                // Under load a trace per append costs more than the append: new traces are limited per second.
                // OTEL_TRACES_SAMPLER, the standard variable, is left to the SDK, which reads it when no sampler is set.
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_TRACES_SAMPLER"]) && tracing.MaxTracesPerSecond > 0)
                {
                    t.SetSampler(new ParentBasedSampler(new TraceRateSampler(tracing.MaxTracesPerSecond)));
                }

                if (!tracing.RecordProbesAndHeartbeats)
                {
                    // Calls to health probes and heartbeats are left out (QuietRoutes): before the exporter, so it sees that.
                    t.AddProcessor(new QuietClientSpans());
                }
            })
            .WithMetrics(m => m.AddMeter("ReplicatedLog.*", "Microsoft.AspNetCore.Hosting", "System.Net.Http").OnlyOwnMeters())
            .WithLogging(configureBuilder: null, configureOptions: o => o.IncludeFormattedMessage = true)
            .UseOtlpExporter();
    }

    /// <summary>
    /// Framework chatter (every request, every routing decision) at Warning unless configuration says otherwise:
    /// these defaults sit below every other configuration source.
    /// </summary>
    public static IConfigurationBuilder AddQuietFrameworkLogging(this IConfigurationBuilder configuration)
    {
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
                // Our own health check tells quorum changes once; the framework would repeat them on every probe.
                ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Error",
            },
        });
        return configuration;
    }

    /// <summary>
    /// Request spans named by route (<see cref="RequestSpans"/>), problem details for every error (an unreadable
    /// request body included: 400, 408, 413), <c>/health</c> (readiness), <c>/alive</c> (liveness), OpenAPI and the
    /// API page at <c>/docs</c>.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Outermost: it sees the status the exception handler answered.
        app.UseRequestSpans();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });

        app.MapOpenApi();
        // Only the page's own requests pass through its middleware: every other request would pay for one more
        // layer, and, when it waits (an append waiting for w), for that layer's state machine.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(DocsPath), docs => docs.UseSwaggerUI(o =>
        {
            o.RoutePrefix = DocsPath.TrimStart('/');
            o.SwaggerEndpoint("/openapi/v1.json", app.Environment.ApplicationName);
        }));
        // The page used to be at /swagger: keep old links working.
        app.MapGet("/swagger", () => TypedResults.Redirect(DocsPath)).ExcludeFromDescription();
        return app;
    }
}
