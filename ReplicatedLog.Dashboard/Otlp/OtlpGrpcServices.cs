using Grpc.Core;
using ReplicatedLog.Dashboard.Otlp.Proto.Collector.Logs;
using ReplicatedLog.Dashboard.Otlp.Proto.Collector.Metrics;
using ReplicatedLog.Dashboard.Otlp.Proto.Collector.Trace;

namespace ReplicatedLog.Dashboard.Otlp;

/// <summary>OTLP/gRPC: the three export services, with the same API key and the same receiver as OTLP/HTTP.</summary>
public static class OtlpGrpcServices
{
    public sealed class Traces(OtlpReceiver receiver, OtlpApiKey key) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
            Authorized(key, context, () => receiver.Export(request));
    }

    public sealed class Logs(OtlpReceiver receiver, OtlpApiKey key) : LogsService.LogsServiceBase
    {
        public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
            Authorized(key, context, () => receiver.Export(request));
    }

    public sealed class Metrics(OtlpReceiver receiver, OtlpApiKey key) : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
            Authorized(key, context, () => receiver.Export(request));
    }

    private static Task<T> Authorized<T>(OtlpApiKey key, ServerCallContext context, Func<T> export) =>
        key.Allows(context.RequestHeaders.GetValue(OtlpOptions.ApiKeyHeader))
            ? Task.FromResult(export())
            : throw new RpcException(new Status(StatusCode.Unauthenticated, key.Refusal));
}
