using System.Diagnostics;
using HdrHistogram;

namespace ReplicatedLog.Bench.Load;

/// <summary>
/// Runs the load: N clients, each with one append in flight through a sender of its own. Closed loop (no rate): a client sends its next append
/// when the last one answers, and an append is timed from its send. Fixed rate: append k is due at start + k/rate;
/// the next free client sends it at that time or, when every client was busy, late, and it is timed from the time
/// it was due, so a stall counts against every append it held up (no coordinated omission). The run ends after the
/// duration (no append is sent after it; those in flight finish) or once the count is sent and answered.
/// </summary>
public sealed class AppendLoad(Func<IAppendSender> newSender, int clients, int? rate)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <param name="duration">How long to send; null when <paramref name="count"/> is given.</param>
    /// <param name="count">How many appends to send; null for a duration.</param>
    /// <param name="onProgress">Called about once a second with the figures so far.</param>
    public async Task<LoadResult> RunAsync(TimeSpan? duration, long? count, Action<ProgressSample>? onProgress, CancellationToken cancellationToken)
    {
        var run = new RunState(duration, count, rate);
        var workers = Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(() => ClientAsync(run, cancellationToken), cancellationToken)));
        using (var timer = new PeriodicTimer(ProgressInterval))
        {
            while (await Task.WhenAny(workers, timer.WaitForNextTickAsync(cancellationToken).AsTask()) != workers)
            {
                var interval = run.Latency.ReadInterval();
                onProgress?.Invoke(new ProgressSample(
                    Stopwatch.GetElapsedTime(run.Start), Interlocked.Read(ref run.Acknowledged), interval.TotalCount / ProgressInterval.TotalSeconds,
                    run.Latency.Total.TotalCount > 0 ? run.Latency.Total.GetValueAtPercentile(99) / 1000.0 : 0, run.Errors.Total));
            }
        }

        await workers;
        var elapsed = Stopwatch.GetElapsedTime(run.Start);
        run.Latency.ReadInterval();
        return new LoadResult(run.Latency.Total, run.Errors.Snapshot(), run.Acknowledged, elapsed);
    }

    private async Task ClientAsync(RunState run, CancellationToken cancellationToken)
    {
        using var sender = newSender();
        while (run.TryTakeNext(out var n, out var due))
        {
            if (due - Stopwatch.GetTimestamp() is var wait and > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
            }

            var sent = rate is null ? Stopwatch.GetTimestamp() : due;
            var outcome = await sender.SendAsync(n, cancellationToken);
            if (outcome.IsSuccess)
            {
                run.Latency.RecordSince(sent);
                Interlocked.Increment(ref run.Acknowledged);
            }
            else
            {
                run.Errors.Add(outcome);
            }
        }
    }

    /// <summary>The counters the clients share: which append is next, when it is due, and what came back.</summary>
    private sealed class RunState(TimeSpan? duration, long? count, int? rate)
    {
        public readonly long Start = Stopwatch.GetTimestamp();
        public readonly LatencyRecorder Latency = new();
        public readonly ErrorTally Errors = new();
        public long Acknowledged;

        private readonly long _end = duration is { } d ? Stopwatch.GetTimestamp() + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        private readonly double _ticksPerAppend = rate is { } r ? (double)Stopwatch.Frequency / r : 0;
        private long _taken;

        /// <summary>The number of the next append and the timestamp it is due at (now, in a closed loop); false when the run has sent all it will.</summary>
        public bool TryTakeNext(out long n, out long due)
        {
            due = 0;
            if (rate is null && Stopwatch.GetTimestamp() >= _end)
            {
                n = 0;
                return false;
            }

            n = Interlocked.Increment(ref _taken);
            if (n > count)
            {
                return false;
            }

            due = rate is null ? 0 : Start + (long)((n - 1) * _ticksPerAppend);
            return due < _end;
        }
    }
}

/// <summary>What a run measured: the latencies of the acknowledged appends (µs), the failures, and how long it took.</summary>
public sealed record LoadResult(HistogramBase Latency, ErrorCounts Errors, long Acknowledged, TimeSpan Elapsed);

/// <summary>The figures so far, once a second: appends acknowledged, the rate in the last second, p99 of the run so far.</summary>
public sealed record ProgressSample(TimeSpan Elapsed, long Acknowledged, double RatePerSecond, double P99Milliseconds, long Errors);
