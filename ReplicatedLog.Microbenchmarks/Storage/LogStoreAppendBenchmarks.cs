using BenchmarkDotNet.Attributes;

namespace ReplicatedLog.Microbenchmarks.Storage;

/// <summary>
/// <see cref="AppendBatchBenchmark"/> on the stores that are durable as soon as they are written: 32,768 batches
/// (262,144 entries, about 40 MB on disk) an iteration, which takes about 100 ms.
/// </summary>
[InvocationCount(32_768)]
public class LogStoreAppendBenchmarks : AppendBatchBenchmark
{
    [Params(StoreKind.InMemory, StoreKind.FileFsyncNone)]
    public StoreKind Store { get; set; }

    protected override StoreKind Kind => Store;
}
