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
}
