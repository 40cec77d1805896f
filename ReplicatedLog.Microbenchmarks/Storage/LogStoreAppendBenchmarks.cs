using BenchmarkDotNet.Attributes;

namespace ReplicatedLog.Microbenchmarks.Storage;

/// <summary>
/// <see cref="AppendBatchBenchmark"/> on the stores that are durable as soon as they are written: 16,384 batches
/// (131,072 entries, about 20 MB) an iteration.
/// </summary>
[InvocationCount(16_384)]
public class LogStoreAppendBenchmarks : AppendBatchBenchmark
{
    [Params(StoreKind.InMemory, StoreKind.FileFsyncNone)]
    public StoreKind Store { get; set; }

    protected override StoreKind Kind => Store;
}
