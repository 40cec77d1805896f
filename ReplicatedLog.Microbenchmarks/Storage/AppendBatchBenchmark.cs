using BenchmarkDotNet.Attributes;

namespace ReplicatedLog.Microbenchmarks.Storage;

/// <summary>
/// Appends a batch of 8 entries of 128 bytes and waits until the store says they are durable, as an owner of the log
/// does. Every iteration starts on a new, empty store (in a new directory, removed after it), so that the log does
/// not grow without end over a run: the derived classes fix how many appends an iteration makes. The allocation
/// includes the batch's 8 entries, which a caller builds.
/// </summary>
[MemoryDiagnoser]
public abstract class AppendBatchBenchmark
{
    public const int BatchSize = 8;

    /// <summary>The store the current iteration appends to.</summary>
    internal ScratchStore Scratch { get; private set; } = null!;

    /// <summary>Which store to measure.</summary>
    protected abstract StoreKind Kind { get; }

    [IterationSetup]
    public void OpenStore() => Scratch = new ScratchStore(Kind);

    [Benchmark]
    public Task AppendBatch()
    {
        var batch = Scratch.NextEntries(BatchSize);
        Scratch.Store.Append(batch);
        return Scratch.Store.WhenDurableAsync(batch[^1].Index, CancellationToken.None);
    }

    [IterationCleanup]
    public void CloseStore() => Scratch.Dispose();
}
