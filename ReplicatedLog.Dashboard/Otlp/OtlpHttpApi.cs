using Google.Protobuf;
using Microsoft.AspNetCore.Http.HttpResults;
using ReplicatedLog.Dashboard.Otlp.Proto.Collector.Logs;
using ReplicatedLog.Dashboard.Otlp.Proto.Collector.Metrics;
using ReplicatedLog.Dashboard.Otlp.Proto.Collector.Trace;
using ReplicatedLog.ServiceDefaults.Apis;

namespace ReplicatedLog.Dashboard.Otlp;

/// <summary>
/// OTLP/HTTP with binary protobuf (what OpenTelemetry's .NET exporter sends with <c>http/protobuf</c>):
/// <c>POST /v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>, answered with the export response in protobuf.
/// A wrong or missing API key is a 401, a body that is not an export request a 400, OTLP/JSON a 415; each with a
/// problem-details body.
/// </summary>
public static class OtlpHttpApi
{
    public const string ProtobufContentType = "application/x-protobuf";

    public static IEndpointConventionBuilder MapOtlpHttpApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").DisableAntiforgery().AddEndpointFilter(async (context, next) =>
        {
            var key = context.HttpContext.RequestServices.GetRequiredService<OtlpApiKey>();
            return key.Allows(context.HttpContext.Request.Headers[OtlpOptions.ApiKeyHeader])
                ? await next(context)
                : TypedResults.Problem(key.Refusal, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        });
        group.MapPost("/traces", (HttpRequest request, OtlpReceiver receiver, CancellationToken ct) =>
            ExportAsync(request, ExportTraceServiceRequest.Parser, receiver.Export, ct));
        group.MapPost("/logs", (HttpRequest request, OtlpReceiver receiver, CancellationToken ct) =>
            ExportAsync(request, ExportLogsServiceRequest.Parser, receiver.Export, ct));
        group.MapPost("/metrics", (HttpRequest request, OtlpReceiver receiver, CancellationToken ct) =>
            ExportAsync(request, ExportMetricsServiceRequest.Parser, receiver.Export, ct));
        return group;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync<TRequest, TResponse>(
        HttpRequest request, MessageParser<TRequest> parser, Func<TRequest, TResponse> export, CancellationToken cancellationToken)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        var type = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(type, ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                $"This dashboard takes OTLP/HTTP as binary protobuf ('Content-Type: {ProtobufContentType}', OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf) or OTLP/gRPC; got '{request.ContentType}'.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type");
        }

        using var body = await PooledBody.ReadAsync(request.Body, request.ContentLength, cancellationToken);
        TRequest message;
        try
        {
            message = parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return Problems.BadRequest($"The body is not an OTLP export request in protobuf: {ex.Message}");
        }

        return TypedResults.File(export(message).ToByteArray(), ProtobufContentType);
    }
}
