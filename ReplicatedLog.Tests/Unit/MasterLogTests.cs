using ReplicatedLog.Core.Storage;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

public sealed class MasterLogTests
{
    [Fact]
    public void IndexesStartAtOneAndHaveNoGaps()
    {
        var log = new MasterLog();
        Assert.Equal(1, log.Append("a", null).Index);
        Assert.Equal(2, log.Append("b", null).Index);
        Assert.Equal(3, log.Append("c", null).Index);
        Assert.Equal(["a", "b", "c"], log.Messages());
        Assert.Equal(3, log.LastIndex);
    }

    [Fact]
    public async Task ConcurrentAppendsGetDistinctContiguousIndexes()
    {
        var log = new MasterLog();
        var indexes = await Task.WhenAll(Enumerable.Range(0, 2000)
            .Select(i => Task.Run(() => log.Append($"m{i}", null).Index)));
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (long)i), indexes.Order());
        Assert.Equal(2000, log.Messages().Distinct().Count());
    }

    /// <summary>
    /// Replication reads the tail of the log for every secondary, and the most recent entries come from the log's own
    /// ring instead of the store: every batch is what the store holds there, within the count and the UTF-8 bytes
    /// asked (past the first entry), from anywhere in the log.
    /// </summary>
    [Fact]
    public void ABatchIsWhatTheStoreHoldsWithinTheCountAndBytesAskedFromAnywhereInTheLog()
    {
        using var store = new InMemoryLogStore();
        var log = new MasterLog(store: store);
        for (var i = 1; i <= 2_500; i++)
        {
            log.Append(MessageOf(i), null);
        }

        var random = new Random(7);
        for (var probe = 0; probe < 2_000; probe++)
        {
            var from = random.Next(1, 2_520);
            var maxEntries = random.Next(1, 1_200);
            long maxBytes = random.Next(3) == 0 ? long.MaxValue : random.Next(1, 20_000);
            var batch = log.ReadBatch(from, maxEntries, maxBytes);
            Assert.Equal(from > 2_500 ? [] : store.Read(from, maxEntries, maxBytes), batch);
        }
    }

    /// <summary>Batches read while appends go on are contiguous runs of the right entries, never a stale or torn one.</summary>
    [Fact]
    public async Task BatchesReadWhileAppendsGoOnHoldTheRightEntries()
    {
        var log = new MasterLog();
        var appends = Task.Run(() =>
        {
            for (var i = 1; i <= 20_000; i++)
            {
                log.Append(MessageOf(i), null);
            }
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            var next = 1L;
            while (next <= 20_000)
            {
                var batch = log.ReadBatch(next, 64, 1 << 20);
                foreach (var entry in batch)
                {
                    Assert.Equal(next, entry.Index);
                    Assert.Equal(MessageOf(next), entry.Message);
                    next++;
                }

                if (batch.Count == 0 && appends.IsFaulted)
                {
                    break;
                }
            }
        })).ToArray();
        await Task.WhenAll([appends, .. readers]).WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static string MessageOf(long index) => $"m{index}-" + new string('x', (int)(index % 300));

    [Fact]
    public void TheAppenderLearnsTheIndexBeforeAReplicationCanReadTheEntry()
    {
        // What the appender records about an entry (its trace, for the batch that carries it to link to) must be there
        // when a replication loop reads the entry, which it may do the moment the entry is in the log.
        var log = new MasterLog();
        log.Append("first", null);
        var readWhenNumbered = new List<int>();
        var (index, _) = log.Append("second", "k", numbered: i => readWhenNumbered.Add(log.ReadBatch(i, 10, 1 << 20).Count));
        Assert.Equal([0], readWhenNumbered);
        Assert.Single(log.ReadBatch(index, 10, 1 << 20));

        // A duplicate numbers nothing.
        log.Append("second again", "k", numbered: i => readWhenNumbered.Add(-1));
        Assert.Equal([0], readWhenNumbered);
    }

    [Fact]
    public void ARepeatedKeyAppendsNothingAndGivesTheOriginalIndex()
    {
        var log = new MasterLog();
        log.Append("first", null);
        var original = log.Append("pay", "k1");
        var repeat = log.Append("pay again", "k1");
        Assert.False(original.Duplicate);
        Assert.True(repeat.Duplicate);
        Assert.Equal(original.Index, repeat.Index);
        Assert.Equal(["first", "pay"], log.Messages());
    }

    [Fact]
    public void BatchesAreBoundedByCountAndBytesButAlwaysCarryOneEntry()
    {
        var log = new MasterLog();
        for (var i = 0; i < 10; i++)
        {
            log.Append(new string('x', 100), null);
        }

        Assert.Equal(4, log.ReadBatch(1, 4, long.MaxValue).Count);
        Assert.Equal([3L, 4L, 5L], log.ReadBatch(3, 100, 300).Select(e => e.Index));
        Assert.Single(log.ReadBatch(1, 100, 10));
        Assert.Empty(log.ReadBatch(11, 100, 1000));
    }

    [Fact]
    public async Task WhenAppendedAfterCompletesOnTheNextAppend()
    {
        var log = new MasterLog();
        log.Append("a", null);
        Assert.True(log.WhenAppendedAfter(0).IsCompleted);
        var waiting = log.WhenAppendedAfter(1);
        Assert.False(waiting.IsCompleted);
        log.Append("b", null);
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void EachStartOnTheSameStoreIsANewGenerationOfTheSameLogWithItsEntriesAndKeys()
    {
        var store = new InMemoryLogStore();
        var first = new MasterLog(store: store);
        first.Append("pay 10", "order-1");
        var firstGeneration = first.Generation;

        var second = new MasterLog(store: store);

        Assert.Equal(first.LogId, second.LogId);
        Assert.Equal((1L, 2L), (firstGeneration, second.Generation));
        Assert.Equal(["pay 10"], second.Messages());
        Assert.Equal((1L, true), second.Append("pay 10", "order-1"));
    }

    [Fact]
    public void EachRunStartsFromWhatTheStoreHoldsAndItsEntriesRecordItsGeneration()
    {
        var store = new InMemoryLogStore();
        var first = new MasterLog(store: store);
        first.Append("a", null);
        first.Append("b", null);

        var second = new MasterLog(store: store);
        second.Append("c", null);

        Assert.Equal((0L, 2L), (first.Base, second.Base));
        Assert.Equal([1L, 1L, 2L], second.Read(1, 10).Select(e => e.Generation));
    }

    [Fact]
    public async Task ReplicationShipsWhatIsAppendedBeforeTheFsyncButTheMasterCountsForWOnlyAfterIt()
    {
        var store = new SlowDiskStore();
        var barrier = new AcknowledgementBarrier();
        var log = new MasterLog(barrier, store);
        var shippable = log.WhenAppendedAfter(0);
        log.Append("a", null);
        log.Append("b", null);
        var w1 = barrier.WaitAsync(2, 1, CancellationToken.None);

        await shippable.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["a", "b"], log.ReadBatch(1, 100, long.MaxValue).Select(e => e.Message));
        Assert.False(w1.IsCompleted);

        store.MakeDurable(1);
        Assert.False(w1.IsCompleted);

        store.MakeDurable(2);
        Assert.Equal(1, await w1.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
