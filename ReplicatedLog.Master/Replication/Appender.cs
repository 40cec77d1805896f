using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ReplicatedLog.Master.Health;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// Carries out one client append: checks the write gate and the write concern, puts the message in the log (or
/// finds the earlier entry of its idempotency key) and waits until w nodes hold it or the timeout runs out. The
/// entry replicates whatever happens to the wait: a client that leaves, or a timeout, only ends the waiting.
/// </summary>
public sealed partial class Appender(
    MasterLog log,
    AcknowledgementBarrier barrier,
    SecondaryRegistry registry,
    WriteGate gate,
    TimeProvider time,
    ILogger<Appender> logger,
    AppendTraces? traces = null,
    MasterMetrics? metrics = null)
{
    public const string TelemetryName = "ReplicatedLog.Master";
    private static readonly ActivitySource Source = new(TelemetryName);

    /// <param name="message">The message text, already validated.</param>
    /// <param name="concern">The write concern asked for.</param>
    /// <param name="idempotencyKey">When seen before, nothing is appended and the original index is waited for.</param>
    /// <param name="timeout">How long to wait for the concern; null waits as long as it takes.</param>
    /// <param name="clientGone">Cancelled when the client goes away; it cancels the waiting, never the entry.</param>
    public async Task<AppendResult> AppendAsync(
        string message, WriteConcern concern, string? idempotencyKey, TimeSpan? timeout, CancellationToken clientGone)
    {
        var started = time.GetTimestamp();
        var secondaries = registry.Count;
        var w = concern.Resolve(secondaries);
        if (w > 1 + secondaries)
        {
            return new AppendResult(AppendStatus.ConcernTooHigh, 0, w, 0, false,
                $"The write concern w={w} asks for more nodes than the cluster has: the master and {secondaries} secondaries make {1 + secondaries}, so w can be at most {1 + secondaries}.");
        }

        if (!gate.IsWritable)
        {
            return new AppendResult(AppendStatus.ReadOnly, 0, w, 0, false, gate.Describe());
        }

        // The append's one span, under the request's: the wait for w, on the append's time axis as long as the slowest
        // of the nodes it waits for (putting the message in the log takes microseconds: a span of its own showed
        // nothing the wait does not, and cost as much to make, export and keep as this one). Batches link to it, so
        // it starts before the entry is in the log and is recorded as the log numbers the entry, before a replication
        // loop can read it (recorded after the append, a batch read at once missed it).
        using var waiting = Source.StartActivity("wait for w");
        var (index, duplicate) = waiting is { Recorded: true } && traces is not null
            ? log.Append(message, idempotencyKey, RecordIn(traces, waiting.Context))
            : log.Append(message, idempotencyKey);

        waiting?.SetTag("replicatedlog.index", index);
        waiting?.SetTag("replicatedlog.w", w);
        waiting?.SetTag("replicatedlog.duplicate", duplicate);
        if (!duplicate)
        {
            metrics?.Appended();
        }

        using var deadline = timeout is { } t ? new CancellationTokenSource(t, time) : null;
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(clientGone, deadline.Token);
        int acks;
        var timedOut = false;
        try
        {
            acks = await barrier.WaitAsync(index, w, linked?.Token ?? clientGone).ConfigureAwait(false);
            waiting?.SetTag("replicatedlog.acks", acks);
        }
        catch (OperationCanceledException) when (deadline is { IsCancellationRequested: true })
        {
            // The timeout fired (perhaps with the client leaving just after): the answer is a timeout either way.
            acks = barrier.AcksFor(index);
            timedOut = true;
        }
        catch (OperationCanceledException)
        {
            LogClientLeft(logger, index, w);
            throw;
        }

        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        metrics?.AppendAnswered(elapsed, w);
        if (timedOut)
        {
            LogTimedOut(logger, index, w, acks, (long)elapsed);
            return new AppendResult(AppendStatus.TimedOut, index, w, acks, duplicate);
        }

        // One line per traced append, linked to its trace; the others at Debug: under load traces are limited per
        // second (TraceRateSampler), and a line per append would cost what the limit saves.
        LogAppended(logger, waiting is { Recorded: true } ? LogLevel.Information : LogLevel.Debug, index, w, acks, duplicate, elapsed);

        return new AppendResult(AppendStatus.Written, index, w, acks, duplicate);
    }

    // Its own method, so the closure is made only for a traced append.
    private static Action<long> RecordIn(AppendTraces traces, ActivityContext context) => index => traces.Record(index, context);

    [LoggerMessage(Message = "Append {Index} (w={W}) held by {Acks} nodes, duplicate={Duplicate}, in {ElapsedMs:0.0} ms")]
    private static partial void LogAppended(ILogger logger, LogLevel level, long index, int w, int acks, bool duplicate, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Append {Index} (w={W}) timed out after {ElapsedMs} ms held by {Acks} nodes; it goes on replicating")]
    private static partial void LogTimedOut(ILogger logger, long index, int w, int acks, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Client waiting for append {Index} (w={W}) went away; the entry goes on replicating")]
    private static partial void LogClientLeft(ILogger logger, long index, int w);
}
