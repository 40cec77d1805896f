namespace ReplicatedLog.Master.Replication;

/// <summary>How an append ended.</summary>
public enum AppendStatus
{
    /// <summary>At least w nodes hold the entry.</summary>
    Written,

    /// <summary>The entry is in the log and replicating, but the timeout ran out before w nodes held it.</summary>
    TimedOut,

    /// <summary>Nothing was appended: the master is read-only (no quorum).</summary>
    ReadOnly,

    /// <summary>Nothing was appended: w asks for more nodes than the cluster has.</summary>
    ConcernTooHigh,
}

/// <summary>The outcome of one append; <see cref="Reason"/> says why when nothing was appended.</summary>
public sealed record AppendResult(AppendStatus Status, long Index, int W, int Acks, bool Duplicate, string? Reason = null);
