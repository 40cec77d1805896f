using System.ComponentModel.DataAnnotations;

namespace ReplicatedLog.Core.Storage;

/// <summary>Section <c>Storage</c>: where a node keeps its log.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>The directory of the log's segment files; null keeps the log in memory (gone with the process).</summary>
    public string? Path { get; set; }

    /// <summary>Whether an entry is durable only once fsynced (the default) or as soon as it is written.</summary>
    public FsyncMode Fsync { get; set; } = FsyncMode.Always;

    /// <summary>A segment file that reaches this size is closed to appends and the next record starts a new one.</summary>
    [Range(1d, 1L << 39)]
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How many of the most recent idempotency keys are remembered, in memory as on disk (where a restart keeps them);
    /// the oldest is forgotten first, and so is a key whose entry is truncated away. A client that retries an append later than this many keyed appends after its first
    /// try is no longer recognized: its retry is taken as a new message and appended a second time.
    /// </summary>
    [Range(1, 100_000_000)]
    public int KeyWindow { get; set; } = 100_000;

    /// <summary>
    /// About how much memory the most recent entries may take (their UTF-8 bytes plus a little per entry): reads of
    /// the tail, which replication does all the time, are served from there; older entries are read from the files.
    /// </summary>
    [Range(0d, 1L << 40)]
    public long CacheBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>
    /// How many entries apart a file store marks where an entry is and the checksum before it; the entries between are
    /// found by reading forward from a mark. Not configuration: tests make it small to cross many marks.
    /// </summary>
    internal int IndexStride { get; init; } = 128;
}
