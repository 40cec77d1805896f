using BenchmarkDotNet.Attributes;
using ReplicatedLog.Master.Replication;

namespace ReplicatedLog.Microbenchmarks.Replication;

/// <summary>
/// The master's write-concern barrier with two secondaries and 64 appends in flight, as 64 clients at w=3 keep it.
/// Each append waits as the appender does (with a cancellable token, the client's), and the master acknowledges it
/// as durable (an in-memory log is durable at once); then both secondaries acknowledge, one entry at a time or all 64
/// at once. <see cref="AcknowledgeWhile64Wait"/> is the cost of one acknowledgement that scans 64 waiters
/// and releases none.
/// </summary>
[MemoryDiagnoser]
public class AcknowledgementBarrierBenchmarks
{
    public const int Appends = 64;

    private const int W = 3;
    private const long FarAhead = 1L << 40;

    private readonly Task<int>[] _waits = new Task<int>[Appends];
    private CancellationTokenSource _clientGone = null!;
    private long _idleAcked;
    private long _last;

    internal static object First { get; } = "s1";

    internal static object Second { get; } = "s2";

    /// <summary>The barrier that the append benchmarks release appends through.</summary>
    internal AcknowledgementBarrier Barrier { get; private set; } = null!;

    /// <summary>The barrier that <see cref="AcknowledgeWhile64Wait"/> acknowledges on, with 64 waits never met.</summary>
    internal AcknowledgementBarrier Idle { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clientGone = new CancellationTokenSource();
        Barrier = TwoSecondaries();
        Idle = TwoSecondaries();
        Idle.Acknowledge(Idle.Master, FarAhead);
        for (var i = 1; i <= Appends; i++)
        {
            _ = Idle.WaitAsync(FarAhead + i, W, _clientGone.Token);
        }
    }

    /// <summary>
    /// 64 appends at w=3, each secondary acknowledging every entry on its own (as when each batch holds one entry).
    /// Time and allocation are per append, and include the hop of each released waiter's continuation to the thread
    /// pool. Returns the sum of the acknowledgements the waiters were released with (3 each).
    /// </summary>
    [Benchmark(OperationsPerInvoke = Appends)]
    public Task<int> AppendsAcknowledgedOneByOne() => AppendAndAcknowledge(entriesPerAck: 1);

    /// <summary>The same, each secondary acknowledging the 64 entries at once (as when they travel in one batch).</summary>
    [Benchmark(OperationsPerInvoke = Appends)]
    public Task<int> AppendsAcknowledgedAsOneBatch() => AppendAndAcknowledge(entriesPerAck: Appends);

    /// <summary>One acknowledgement of a secondary while 64 appends wait for entries it does not reach.</summary>
    [Benchmark]
    public void AcknowledgeWhile64Wait() => Idle.Acknowledge(First, ++_idleAcked);

    private async Task<int> AppendAndAcknowledge(int entriesPerAck)
    {
        var first = _last + 1;
        for (var i = 0; i < Appends; i++)
        {
            var index = ++_last;
            _waits[i] = Barrier.WaitAsync(index, W, _clientGone.Token);
            Barrier.Acknowledge(Barrier.Master, index);
        }

        for (var acked = first + entriesPerAck - 1; acked <= _last; acked += entriesPerAck)
        {
            Barrier.Acknowledge(First, acked);
            Barrier.Acknowledge(Second, acked);
        }

        var sum = 0;
        foreach (var wait in _waits)
        {
            sum += await wait.ConfigureAwait(false);
        }

        return sum;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _clientGone.Cancel();
        _clientGone.Dispose();
    }

    private static AcknowledgementBarrier TwoSecondaries()
    {
        var barrier = new AcknowledgementBarrier();
        barrier.AddMember(First);
        barrier.AddMember(Second);
        return barrier;
    }
}
