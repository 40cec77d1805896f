using System.Diagnostics.Metrics;
using System.Text;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Master.Health;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// The master's meter, named after the service: what appends cost and wait for, and, per secondary (tag
/// <c>secondary</c>), how far it has come, how it is, and what replication sends it. The gauges read the state the
/// master keeps anyway (the registry's peers, the barrier, the write gate) when metrics are collected; the append
/// and batch paths record with precomputed tags and allocate nothing for it.
/// </summary>
public sealed class MasterMetrics
{
    /// <summary>The tag that names the secondary a measurement is about.</summary>
    public const string SecondaryTag = "secondary";

    /// <summary>The tag that holds the write concern an append waited for, as a number of nodes.</summary>
    public const string WTag = "w";

    // Boxed once: a w of the usual sizes costs no allocation per append.
    private static readonly object[] BoxedW = [.. Enumerable.Range(0, 16).Select(w => (object)w)];

    private readonly Counter<long> _appends;
    private readonly Histogram<double> _appendDuration;
    private readonly Histogram<int> _batchEntries;
    private readonly Histogram<long> _batchBytes;
    private readonly Counter<long> _retries;

    public MasterMetrics(IMeterFactory meters, MasterLog log, AcknowledgementBarrier barrier, SecondaryRegistry registry, WriteGate gate)
    {
        var meter = meters.Create(Appender.TelemetryName);
        _appends = meter.CreateCounter<long>("replicatedlog.master.appends", "{entry}", "Entries appended (a repeated idempotency key appends none)");
        _appendDuration = meter.CreateHistogram<double>("replicatedlog.master.append.duration", "ms",
            "Time from an append's arrival to its answer (written or timed out), by the write concern w it waited for");
        meter.CreateObservableUpDownCounter("replicatedlog.master.append.waiting", () => barrier.PendingWaits, "{append}",
            "Appends waiting for their write concern now");
        meter.CreateObservableGauge("replicatedlog.master.writable", () => gate.IsWritable ? 1 : 0, unit: null,
            "1 while the master takes appends, 0 while it is read-only (no quorum, or adopting its secondaries' log)");

        meter.CreateObservableGauge("replicatedlog.master.secondary.acked_index", () => PerSecondary(registry, p => p.AckedIndex), "{index}",
            "The highest index the secondary confirmed holding");
        meter.CreateObservableGauge("replicatedlog.master.secondary.lag", () =>
        {
            var last = log.LastIndex;
            return PerSecondary(registry, p => p.LagBehind(last));
        }, "{entry}", "Entries the master holds that the secondary has not confirmed");
        meter.CreateObservableGauge("replicatedlog.master.secondary.status", () => PerSecondary(registry, p => (long)p.Status), unit: null,
            "The secondary's health by heartbeats: 0 Healthy, 1 Suspected, 2 Unhealthy");
        _batchEntries = meter.CreateHistogram<int>("replicatedlog.master.batch.entries", "{entry}", "Entries in each batch sent to the secondary");
        _batchBytes = meter.CreateHistogram<long>("replicatedlog.master.batch.size", "By",
            "Bytes of message text (UTF-8) in each batch sent to the secondary, as Replication:BatchMaxBytes counts them",
            tags: null, advice: new InstrumentAdvice<long>
            {
                // Up to the 4 MiB a batch holds by default; the SDK's default buckets end at 10,000.
                HistogramBucketBoundaries = [64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304],
            });
        _retries = meter.CreateCounter<long>("replicatedlog.master.batch.retries", "{retry}",
            "Batches sent again to the secondary after a failed attempt (refused connection, timeout, 5xx)");
    }

    /// <summary>The tag of the measurements about <paramref name="secondary"/>: made once per replication loop.</summary>
    public static KeyValuePair<string, object?> Secondary(string secondary) => new(SecondaryTag, secondary);

    public void Appended() => _appends.Add(1);

    public void AppendAnswered(double milliseconds, int w) =>
        _appendDuration.Record(milliseconds, new KeyValuePair<string, object?>(WTag, (uint)w < BoxedW.Length ? BoxedW[w] : w));

    /// <summary>A batch goes to a secondary (once, however many attempts it takes).</summary>
    public void SendingBatch(in KeyValuePair<string, object?> secondary, IReadOnlyList<LogEntry> batch)
    {
        _batchEntries.Record(batch.Count, secondary);
        if (_batchBytes.Enabled)
        {
            long bytes = 0;
            foreach (var entry in batch)
            {
                bytes += Encoding.UTF8.GetByteCount(entry.Message);
            }

            _batchBytes.Record(bytes, secondary);
        }
    }

    /// <summary>An attempt to send a batch failed and it is sent again after the backoff.</summary>
    public void RetryingBatch(in KeyValuePair<string, object?> secondary) => _retries.Add(1, secondary);

    private static IEnumerable<Measurement<long>> PerSecondary(SecondaryRegistry registry, Func<SecondaryPeer, long> read)
    {
        foreach (var peer in registry.Peers)
        {
            yield return new Measurement<long>(read(peer), Secondary(peer.Name));
        }
    }
}
