namespace ReplicatedLog.Microbenchmarks.Storage;

/// <summary>The log stores the storage benchmarks measure: as a node runs with and without <c>Storage:Path</c>.</summary>
public enum StoreKind
{
    /// <summary>No path: the log in memory.</summary>
    InMemory,

    /// <summary>On disk, <c>Storage:Fsync=None</c>: durable once written.</summary>
    FileFsyncNone,

    /// <summary>On disk, <c>Storage:Fsync=Always</c> (the default): durable once fsynced, by group commit.</summary>
    FileFsyncAlways,
}
