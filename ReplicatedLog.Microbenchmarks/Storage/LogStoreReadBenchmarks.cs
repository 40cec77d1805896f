using BenchmarkDotNet.Attributes;
using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Microbenchmarks.Storage;

/// <summary>
/// Reads 64 entries from a store holding 100,000 entries of 128 bytes: from its tail, as replication reads, and
/// from its start, which the file store no longer holds in its cache of recent entries (4 MiB by default) and reads
/// from its segment files (in the operating system's page cache by then).
/// </summary>
[MemoryDiagnoser]
public class LogStoreReadBenchmarks
{
    public const int Held = 100_000;
    public const int Count = 64;

    [Params(StoreKind.InMemory, StoreKind.FileFsyncAlways)]
    public StoreKind Store { get; set; }

    internal ScratchStore Scratch { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        Scratch = new ScratchStore(Store);
        while (Scratch.Store.LastIndex < Held)
        {
            Scratch.Store.Append(Scratch.NextEntries(1_000));
        }

        Scratch.Store.WhenDurableAsync(Held, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark]
    public IReadOnlyList<LogEntry> ReadTail() => Scratch.Store.Read(Held - Count + 1, Count);

    [Benchmark]
    public IReadOnlyList<LogEntry> ReadStart() => Scratch.Store.Read(1, Count);

    /// <summary>
    /// Past the cache too, but from entry 65: the file store marks every 128th entry, so it first reads forward over
    /// the 64 entries from the mark before it (the price of keeping no position per entry).
    /// </summary>
    [Benchmark]
    public IReadOnlyList<LogEntry> ReadBetweenMarks() => Scratch.Store.Read(Count + 1, Count);

    [GlobalCleanup]
    public void Cleanup() => Scratch.Dispose();
}
