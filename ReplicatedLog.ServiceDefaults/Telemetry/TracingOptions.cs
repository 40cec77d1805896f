namespace ReplicatedLog.ServiceDefaults.Telemetry;

/// <summary>What a service traces (section <c>Tracing</c>).</summary>
public sealed class TracingOptions
{
    public const string SectionName = "Tracing";

    /// <summary>
    /// Records health probes and heartbeats too (<see cref="QuietRoutes"/>): off, since each is a trace of its own
    /// every second; on to look into a heartbeat that goes wrong.
    /// </summary>
    public bool RecordProbesAndHeartbeats { get; set; }

    /// <summary>
    /// At most this many new traces a second (<see cref="TraceRateSampler"/>); a span with a parent follows it, and a
    /// batch that carries a traced append is traced. 0 traces every request. <c>OTEL_TRACES_SAMPLER</c>, when set,
    /// takes precedence (OpenTelemetry's own samplers: <c>always_on</c>, <c>parentbased_traceidratio</c>, ...).
    /// </summary>
    public double MaxTracesPerSecond { get; set; } = DefaultMaxTracesPerSecond;

    public const double DefaultMaxTracesPerSecond = 100;
}
