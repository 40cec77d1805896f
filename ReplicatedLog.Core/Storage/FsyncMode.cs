namespace ReplicatedLog.Core.Storage;

/// <summary>When a store on disk forces what it wrote to stable storage.</summary>
public enum FsyncMode
{
    /// <summary>An entry is durable once fsynced; appends that arrive together share one fsync (group commit).</summary>
    Always,

    /// <summary>Nothing is fsynced: the operating system flushes when it likes, and an entry counts as durable once written.</summary>
    None,
}
