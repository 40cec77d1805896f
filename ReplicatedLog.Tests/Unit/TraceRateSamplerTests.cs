using System.Diagnostics;
using OpenTelemetry.Trace;
using ReplicatedLog.ServiceDefaults.Telemetry;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>New traces are limited per second, a batch that carries a traced append is traced whatever the limit.</summary>
public sealed class TraceRateSamplerTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void AtMostTheRateOfNewTracesIsRecordedAndTheBudgetRefillsWithTime()
    {
        var sampler = new TraceRateSampler(3, _time);

        Assert.Equal([true, true, true, false, false], Decide(sampler, 5));
        _time.Advance(TimeSpan.FromMilliseconds(340));
        Assert.Equal([true, false], Decide(sampler, 2));
        // A quiet minute saves no more than one second's worth.
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([true, true, true, false], Decide(sampler, 4));
    }

    [Fact]
    public void ASpanThatLinksToARecordedSpanIsRecordedWhenTheBudgetIsSpent()
    {
        var sampler = new TraceRateSampler(1, _time);
        Assert.Equal([true, false], Decide(sampler, 2));

        var recorded = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var unrecorded = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
        Assert.Equal(SamplingDecision.RecordAndSample, Sample(sampler, [new ActivityLink(unrecorded), new ActivityLink(recorded)]));
        Assert.Equal(SamplingDecision.Drop, Sample(sampler, [new ActivityLink(unrecorded)]));
    }

    private static bool[] Decide(TraceRateSampler sampler, int roots) =>
        [.. Enumerable.Range(0, roots).Select(_ => Sample(sampler, null) == SamplingDecision.RecordAndSample)];

    private static SamplingDecision Sample(TraceRateSampler sampler, IEnumerable<ActivityLink>? links) =>
        sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "root", ActivityKind.Internal, links: links)).Decision;
}
