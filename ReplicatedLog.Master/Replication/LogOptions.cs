using System.ComponentModel.DataAnnotations;

namespace ReplicatedLog.Master.Replication;

/// <summary>Section <c>Log</c> of the master.</summary>
public sealed class LogOptions
{
    public const string SectionName = "Log";

    /// <summary>The largest message accepted, in UTF-8 bytes; a larger one is refused with 413.</summary>
    [Range(1, 64 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 1024 * 1024;
}
