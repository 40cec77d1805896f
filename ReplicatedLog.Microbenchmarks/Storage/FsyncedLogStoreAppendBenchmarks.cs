using BenchmarkDotNet.Attributes;

namespace ReplicatedLog.Microbenchmarks.Storage;

/// <summary>
/// <see cref="AppendBatchBenchmark"/> on the file store with <c>Storage:Fsync=Always</c>: each batch waits for its
/// fsync, so an iteration makes 512 of them.
/// </summary>
[InvocationCount(512)]
public class FsyncedLogStoreAppendBenchmarks : AppendBatchBenchmark
{
    protected override StoreKind Kind => StoreKind.FileFsyncAlways;
}
