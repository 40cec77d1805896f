using System.ComponentModel.DataAnnotations;

namespace ReplicatedLog.Secondary.Faults;

/// <summary>Section <c>Faults</c>: fault injection for demos and tests. Off unless <see cref="Enabled"/>.</summary>
public sealed class FaultOptions
{
    public const string SectionName = "Faults";

    public bool Enabled { get; set; }

    /// <summary>The share of replication requests answered 500 after the entries were applied (proves deduplication).</summary>
    [Range(0.0, 1.0)]
    public double ErrorAfterApplyRate { get; set; }

    /// <summary>The share of replication requests dropped before applying: the connection is cut (proves retries).</summary>
    [Range(0.0, 1.0)]
    public double DropRate { get; set; }

    /// <summary>When true, replication and heartbeat requests wait, unanswered, until resumed.</summary>
    public bool Paused { get; set; }
}
