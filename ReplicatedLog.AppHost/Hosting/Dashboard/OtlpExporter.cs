using ReplicatedLog.AppHost.Hosting.Model;

namespace ReplicatedLog.AppHost.Hosting.Dashboard;

/// <summary>
/// What Aspire's AppHost tells a project so that OpenTelemetry's SDK exports to the dashboard: the OTLP/HTTP
/// endpoint and protocol, the API key as a header, the resource's name as its instance, and, run here, batches sent
/// every second instead of every five (logs and traces) or sixty (metrics) seconds, so the dashboard is live.
/// </summary>
public static class OtlpExporter
{
    /// <summary>The header the dashboard checks the key in.</summary>
    public const string ApiKeyHeader = "x-otlp-api-key";

    /// <summary>How often batches go out when the model runs here.</summary>
    public const int RunModeIntervalMs = 1_000;

    public static ServiceResource WithOtlpExporter(this ServiceResource resource, Endpoint otlpHttp, Parameter? apiKey) =>
        resource.WithEnvironment(context =>
        {
            var variables = context.Variables;
            variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpHttp.ValueFor(context.Mode);
            variables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            if (apiKey is not null)
            {
                variables["OTEL_EXPORTER_OTLP_HEADERS"] = $"{ApiKeyHeader}={apiKey.ValueFor(context.Mode)}";
            }

            variables["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={resource.Name}";
            if (context.Mode == ExecutionMode.Run)
            {
                var interval = $"{RunModeIntervalMs}";
                variables["OTEL_BSP_SCHEDULE_DELAY"] = interval;
                variables["OTEL_BLRP_SCHEDULE_DELAY"] = interval;
                variables["OTEL_METRIC_EXPORT_INTERVAL"] = interval;
            }
        });
}
