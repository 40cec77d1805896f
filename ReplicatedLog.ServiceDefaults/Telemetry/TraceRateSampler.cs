using System.Diagnostics;
using OpenTelemetry.Trace;

namespace ReplicatedLog.ServiceDefaults.Telemetry;

/// <summary>
/// Decides whether a new trace (a span without a parent) is recorded: at most <c>tracesPerSecond</c> of them a
/// second, a token bucket that holds one second's worth, so a user's appends, a few a second, are all traced while a
/// load of thousands a second pays for a hundred. A span that links to a recorded span is always recorded, whatever
/// the budget: a batch that carries a traced append belongs to that append's picture. Used as the root of
/// OpenTelemetry's parent-based sampler, so a span with a parent (local or from a <c>traceparent</c>) follows its
/// parent's decision: a trace is recorded whole or not at all, across the nodes.
/// </summary>
public sealed class TraceRateSampler : Sampler
{
    private static readonly SamplingResult Record = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private double _tokens;
    private long _refilledAt;

    public TraceRateSampler(double tracesPerSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tracesPerSecond);
        _time = time ?? TimeProvider.System;
        _perSecond = tracesPerSecond;
        _tokens = tracesPerSecond;
        _refilledAt = _time.GetTimestamp();
        Description = $"TraceRateSampler{{{tracesPerSecond}/s}}";
    }

    public override SamplingResult ShouldSample(in SamplingParameters parameters)
    {
        if (parameters.Links is { } links)
        {
            foreach (var link in links)
            {
                if (link.Context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded))
                {
                    return Record;
                }
            }
        }

        return TakeToken() ? Record : Drop;
    }

    private bool TakeToken()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_perSecond, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond);
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
