using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReplicatedLog.Dashboard.Telemetry;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Dashboard;

/// <summary>
/// The dashboard's OTLP endpoints against OpenTelemetry's own .NET exporter: what a service sends over HTTP and over
/// gRPC arrives and is kept; a wrong key, a body that is not OTLP and a flood are handled.
/// </summary>
public sealed class OtlpReceiverTests : IAsyncLifetime
{
    private const string Key = "test-api-key";
    private TestDashboard _dashboard = null!;

    private TelemetryStore Store => _dashboard.Store;

    private Uri OtlpHttp => _dashboard.OtlpHttp;

    private Uri OtlpGrpc => _dashboard.OtlpGrpc;

    public async Task InitializeAsync() =>
        _dashboard = await TestDashboard.StartAsync($"--Dashboard:Otlp:PrimaryApiKey={Key}", "--Dashboard:TelemetryLimits:MaxLogCount=1000");

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Theory]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    [InlineData(OtlpExportProtocol.Grpc)]
    public void ASpanWithItsParentLinkEventAndAttributesArrivesAsPartOfItsTrace(OtlpExportProtocol protocol)
    {
        using var source = new ActivitySource($"DashboardTests.{protocol}");
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService("master", serviceInstanceId: "master-1"))
            .AddSource(source.Name)
            .AddOtlpExporter(o => Export(o, protocol, "v1/traces"))
            .Build())
        {
            ActivityContext linked;
            using (var other = source.StartActivity("append other"))
            {
                linked = other!.Context;
            }

            using (var append = source.StartActivity("append"))
            {
                append!.SetTag("w", 3);
                using var batch = source.StartActivity("send batch", ActivityKind.Client, append.Context, links: [new ActivityLink(linked)]);
                batch!.AddEvent(new ActivityEvent("delay"));
                batch.SetStatus(ActivityStatusCode.Error, "secondary-2 timed out");
            }

            Assert.True(tracing.ForceFlush(10_000), "the exporter did not flush");
        }

        var trace = Store.Traces().Single(t => t.Spans.Any(s => s.Name == "send batch"));
        Assert.Equal(["append", "send batch"], trace.Spans.Select(s => s.Name));
        var (append2, batch2) = (trace.Spans[0], trace.Spans[1]);
        Assert.Equal(append2.SpanId, batch2.ParentSpanId);
        Assert.Equal(append2, trace.Root);
        Assert.Contains(KeyValuePair.Create("w", "3"), append2.Attributes);
        Assert.Equal(("Client", "Error", "secondary-2 timed out"), (batch2.Kind, batch2.Status, batch2.StatusMessage));
        Assert.Equal("delay", Assert.Single(batch2.Events).Name);
        var other2 = Store.Spans().Single(s => s.Name == "append other");
        Assert.Equal((other2.TraceId, other2.SpanId), (Assert.Single(batch2.Links).TraceId, batch2.Links[0].SpanId));
        Assert.Equal(("master", "master-1"), (batch2.Resource.Name, batch2.Resource.InstanceId));
        Assert.True(batch2.End >= batch2.Start && batch2.Start.Year == DateTimeOffset.UtcNow.Year, batch2.Start.ToString("O"));
    }

    [Fact]
    public void ALogRecordArrivesWithItsLevelCategoryMessageAndTrace()
    {
        using var source = new ActivitySource("DashboardTests.Logs");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        string traceId;
        using (var loggers = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("secondary-1"));
            o.AddOtlpExporter(e => Export(e, OtlpExportProtocol.HttpProtobuf, "v1/logs"));
        })))
        {
            using var activity = source.StartActivity("apply");
            traceId = activity!.TraceId.ToHexString();
            loggers.CreateLogger("ReplicatedLog.Secondary.Replica").LogWarning("Replaced {Count} entries", 2);
        }

        var log = Assert.Single(Store.Logs(), l => l.Resource.Name == "secondary-1");
        Assert.Equal(("Warning", "ReplicatedLog.Secondary.Replica", "Replaced 2 entries"), (log.Severity, log.Category, log.Message));
        Assert.Equal(traceId, log.TraceId);
        Assert.Contains(KeyValuePair.Create("Count", "2"), log.Attributes);
    }

    [Fact]
    public void CountersAndHistogramsArriveAsPointsOfTheirInstruments()
    {
        using var meter = new Meter("DashboardTests.Metrics");
        var appends = meter.CreateCounter<long>("replicatedlog.appends");
        var latency = meter.CreateHistogram<double>("replicatedlog.append.duration", unit: "ms");
        using (var metrics = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("master"))
            .AddMeter(meter.Name)
            .AddOtlpExporter((e, reader) =>
            {
                Export(e, OtlpExportProtocol.HttpProtobuf, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 60_000;
            })
            .Build())
        {
            appends.Add(5, new KeyValuePair<string, object?>("w", "3"));
            latency.Record(12.5);
            latency.Record(7.5);
            Assert.True(metrics.ForceFlush(10_000), "the exporter did not flush");
        }

        var instruments = Store.Instruments().Where(i => i.Resource.Name == "master").ToDictionary(i => i.Name);
        var counter = instruments["replicatedlog.appends"];
        Assert.Equal("Counter", counter.Kind);
        var point = counter.Points[^1];
        Assert.Equal(5, point.Value);
        Assert.Contains(KeyValuePair.Create("w", "3"), point.Attributes);
        var histogram = instruments["replicatedlog.append.duration"];
        Assert.Equal(("Histogram", "ms"), (histogram.Kind, histogram.Unit));
        Assert.Equal((2UL, 20.0), (histogram.Points[^1].Count!.Value, histogram.Points[^1].Sum!.Value));
    }

    [Fact]
    public async Task AWrongKeyIsA401AndNothingIsKept()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(OtlpHttp, "v1/traces"))
        {
            Content = new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-protobuf") } },
        };
        request.Headers.Add("x-otlp-api-key", "not-the-key");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("x-otlp-api-key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var source = new ActivitySource("DashboardTests.WrongKey");
        using (var tracing = Sdk.CreateTracerProviderBuilder().AddSource(source.Name)
            .AddOtlpExporter(o =>
            {
                Export(o, OtlpExportProtocol.Grpc, "v1/traces");
                o.Headers = "x-otlp-api-key=not-the-key";
            }).Build())
        {
            source.StartActivity("refused")!.Dispose();
            tracing.ForceFlush(10_000);
        }

        Assert.Empty(Store.Spans());
    }

    [Theory]
    [InlineData("application/x-protobuf", new byte[] { 0x0a, 0xff, 0xff, 0xff }, HttpStatusCode.BadRequest)]
    [InlineData("application/json", new byte[] { (byte)'{', (byte)'}' }, HttpStatusCode.UnsupportedMediaType)]
    public async Task ABodyThatIsNotOtlpProtobufIsRefusedWithAProblem(string contentType, byte[] body, HttpStatusCode expected)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(OtlpHttp, "v1/logs"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } },
        };
        request.Headers.Add("x-otlp-api-key", Key);
        using var response = await http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(Store.Logs());
    }

    [Fact]
    public void AFloodOfLogsKeepsOnlyTheNewestUpToTheBound()
    {
        using (var loggers = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("chatty"));
            o.AddOtlpExporter((e, processor) =>
            {
                Export(e, OtlpExportProtocol.HttpProtobuf, "v1/logs");
                processor.BatchExportProcessorOptions.MaxQueueSize = 10_000; // the exporter drops none; the dashboard must
            });
        })))
        {
            var logger = loggers.CreateLogger("flood");
            for (var i = 0; i < 5_000; i++)
            {
                logger.LogInformation("line {Number}", i);
            }
        }

        var logs = Store.Logs(Store.Resources.Single(r => r.Name == "chatty").Key);
        Assert.Equal(1000, logs.Count);
        Assert.Equal("line 4999", logs[^1].Message);
        Assert.Equal(logs.OrderBy(l => l.Time).Select(l => l.Message), logs.Select(l => l.Message));
    }

    private void Export(OtlpExporterOptions options, OtlpExportProtocol protocol, string path)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.Grpc ? OtlpGrpc : new Uri(OtlpHttp, path);
        options.Headers = $"x-otlp-api-key={Key}";
    }
}
