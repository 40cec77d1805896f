using System.Diagnostics.Metrics;
using ReplicatedLog.Secondary.Storage;

namespace ReplicatedLog.Secondary.Replication;

/// <summary>
/// The secondary's meter, named after the service: how far its log has come, what it holds back for a gap, and its
/// artificial delay. Gauges only, read from the log and the delay when metrics are collected: nothing on the apply
/// path. They exist once this is created, which the app does at start.
/// </summary>
public sealed class SecondaryMetrics
{
    public SecondaryMetrics(IMeterFactory meters, ReplicaLog log, ReplicationDelay delay)
    {
        var meter = meters.Create(Replica.TelemetryName);
        meter.CreateObservableGauge("replicatedlog.secondary.applied_index", () => log.LastIndex, "{index}",
            "The last index applied: every entry up to it is in the log, in order");
        meter.CreateObservableUpDownCounter("replicatedlog.secondary.held_back", () => log.HeldBackCount, "{entry}",
            "Entries received ahead of a gap, held back (not readable) until the gap is filled");
        meter.CreateObservableGauge("replicatedlog.secondary.delay", () => delay.CurrentMs, "ms",
            "The artificial delay before each batch from the master is applied (Replication:DelayMs, PUT /admin/delay)");
    }
}
