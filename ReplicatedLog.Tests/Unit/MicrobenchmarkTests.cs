using BenchmarkDotNet.Attributes;
using ReplicatedLog.Core.Storage;
using ReplicatedLog.Core.Storage.OnDisk;
using ReplicatedLog.Master.Apis;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Microbenchmarks.Apis;
using ReplicatedLog.Microbenchmarks.Contracts;
using ReplicatedLog.Microbenchmarks.Replication;
using ReplicatedLog.Microbenchmarks.Storage;

namespace ReplicatedLog.Tests.Unit;

/// <summary>
/// Every microbenchmark run once, with its setup and cleanup as BenchmarkDotNet calls them, without measuring: each
/// does what its figure claims (waiters released, entries stored and durable, the request parsed, the batch written
/// and read back), so a benchmark that silently measures nothing fails here.
/// </summary>
public sealed class MicrobenchmarkTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public void EveryBenchmarkIsRunByATestHere()
    {
        var benchmarks = typeof(AcknowledgementBarrierBenchmarks).Assembly.GetTypes()
            .Where(type => !type.IsAbstract)
            .SelectMany(type => type.GetMethods()
                .Where(method => method.IsDefined(typeof(BenchmarkAttribute), inherit: true))
                .Select(method => $"{type.Name}.{method.Name}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "AcknowledgementBarrierBenchmarks.AcknowledgeWhile64Wait",
                "AcknowledgementBarrierBenchmarks.AppendsAcknowledgedAsOneBatch",
                "AcknowledgementBarrierBenchmarks.AppendsAcknowledgedOneByOne",
                "AppendRequestReaderBenchmarks.ReadAppend",
                "FsyncedLogStoreAppendBenchmarks.AppendBatch",
                "LogStoreAppendBenchmarks.AppendBatch",
                "LogStoreReadBenchmarks.ReadBetweenMarks",
                "LogStoreReadBenchmarks.ReadStart",
                "LogStoreReadBenchmarks.ReadTail",
                "ReplicationBatchWireBenchmarks.Deserialize",
                "ReplicationBatchWireBenchmarks.Serialize",
            ],
            benchmarks);
    }

    [Fact]
    public async Task TheBarrierBenchmarksReleaseEveryAppendOnceBothSecondariesAcknowledgeIt()
    {
        var bench = new AcknowledgementBarrierBenchmarks();
        bench.Setup();
        try
        {
            const int everyAppendAtW3 = AcknowledgementBarrierBenchmarks.Appends * 3;
            Assert.Equal(everyAppendAtW3, await bench.AppendsAcknowledgedOneByOne().WaitAsync(Deadline));
            Assert.Equal(everyAppendAtW3, await bench.AppendsAcknowledgedAsOneBatch().WaitAsync(Deadline));
            Assert.Equal(0, bench.Barrier.PendingWaits);
            Assert.Equal(3, bench.Barrier.AcksFor(2 * AcknowledgementBarrierBenchmarks.Appends));

            bench.AcknowledgeWhile64Wait();
            bench.AcknowledgeWhile64Wait();
            Assert.Equal(AcknowledgementBarrierBenchmarks.Appends, bench.Idle.PendingWaits);
            Assert.Equal(2, bench.Idle.AcksFor(2)); // the master and the secondary acknowledging
            Assert.Equal(1, bench.Idle.AcksFor(3));
        }
        finally
        {
            bench.Cleanup();
        }
    }

    [Fact]
    public async Task TheReaderBenchmarkParsesTheMessageTheWriteConcernAndTheKeyEachTime()
    {
        var bench = new AppendRequestReaderBenchmarks();
        bench.Setup();
        try
        {
            var expected = new AppendRequest(AppendRequestReaderBenchmarks.Message, WriteConcern.Nodes(3), AppendRequestReaderBenchmarks.Key, null);
            for (var i = 0; i < 2; i++)
            {
                Assert.True(await bench.ReadAppend().WaitAsync(Deadline));
                Assert.Equal(expected, bench.Parsed);
            }
        }
        finally
        {
            bench.Cleanup();
        }
    }

    [Theory]
    [InlineData(StoreKind.InMemory)]
    [InlineData(StoreKind.FileFsyncNone)]
    public Task TheAppendBenchmarkLeavesItsBatchesDurableInAStoreOfItsKind(StoreKind kind) =>
        AssertAppendsAsync(new LogStoreAppendBenchmarks { Store = kind }, kind);

    [Fact]
    public Task TheFsyncedAppendBenchmarkLeavesItsBatchesFsyncedOnDisk() =>
        AssertAppendsAsync(new FsyncedLogStoreAppendBenchmarks(), StoreKind.FileFsyncAlways);

    [Theory]
    [InlineData(StoreKind.InMemory)]
    [InlineData(StoreKind.FileFsyncAlways)]
    public void TheReadBenchmarksReadTheTailTheStartAndBetweenMarksOfAStoreLargerThanTheFileStoresCache(StoreKind kind)
    {
        const long heldBytes = LogStoreReadBenchmarks.Held * (ScratchStore.MessageBytes + EntryCache.EntryOverheadBytes);
        Assert.True(heldBytes > new StorageOptions().CacheBytes, "the start of the log would be read from the cache");

        var bench = new LogStoreReadBenchmarks { Store = kind };
        bench.Setup();
        var directory = bench.Scratch.Directory;
        try
        {
            Assert.Equal(kind == StoreKind.InMemory, bench.Scratch.Store is InMemoryLogStore);
            var tail = bench.ReadTail();
            Assert.Equal(Indexes(LogStoreReadBenchmarks.Held - LogStoreReadBenchmarks.Count + 1, LogStoreReadBenchmarks.Count), tail.Select(e => e.Index));
            Assert.All(tail, entry => Assert.Equal(ScratchStore.Message, entry.Message));
            var start = bench.ReadStart();
            Assert.Equal(Indexes(1, LogStoreReadBenchmarks.Count), start.Select(e => e.Index));
            Assert.All(start, entry => Assert.Equal(ScratchStore.Message, entry.Message));
            var between = bench.ReadBetweenMarks();
            Assert.Equal(Indexes(LogStoreReadBenchmarks.Count + 1, LogStoreReadBenchmarks.Count), between.Select(e => e.Index));
            Assert.All(between, entry => Assert.Equal(ScratchStore.Message, entry.Message));
        }
        finally
        {
            bench.Cleanup();
        }

        Assert.False(directory is not null && Directory.Exists(directory), $"{directory} is left behind");
    }

    [Fact]
    public void TheWireBenchmarksWriteTheBatchAndReadItBack()
    {
        var bench = new ReplicationBatchWireBenchmarks();
        bench.Setup();
        try
        {
            Assert.Equal(bench.Json.Length, bench.Serialize());
            Assert.Equal(bench.Json, bench.Written.ToArray());
            Assert.Equal(bench.Json.Length, bench.Serialize()); // the reused buffer starts over each time

            var read = bench.Deserialize();
            Assert.NotNull(read);
            Assert.Equal(ReplicationBatchWireBenchmarks.Entries, read.Entries.Count);
            Assert.Equal(bench.Batch.Entries, read.Entries);
            Assert.Equal(bench.Batch with { Entries = read.Entries }, read);
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static async Task AssertAppendsAsync(AppendBatchBenchmark bench, StoreKind kind)
    {
        bench.OpenStore();
        var directory = bench.Scratch.Directory;
        try
        {
            await bench.AppendBatch().WaitAsync(Deadline);
            await bench.AppendBatch().WaitAsync(Deadline);

            var store = bench.Scratch.Store;
            const int appended = 2 * AppendBatchBenchmark.BatchSize;
            Assert.Equal((appended, appended), (store.LastIndex, store.DurableIndex));
            Assert.Equal(Enumerable.Repeat(ScratchStore.Message, appended), store.Messages());
            Assert.Equal(kind == StoreKind.InMemory, store is InMemoryLogStore);
            if (store is FileLogStore file)
            {
                Assert.Equal(kind == StoreKind.FileFsyncAlways, file.FsyncCount > 0);
            }
        }
        finally
        {
            bench.CloseStore();
        }

        Assert.False(directory is not null && Directory.Exists(directory), $"{directory} is left behind");
    }

    private static IEnumerable<long> Indexes(long from, int count) => Enumerable.Range(0, count).Select(i => from + i);
}
