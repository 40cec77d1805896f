namespace ReplicatedLog.Core.Contracts;

/// <summary>How the master sees one secondary, from its heartbeats.</summary>
public enum SecondaryStatus
{
    /// <summary>The last heartbeat was answered.</summary>
    Healthy,

    /// <summary>One or more heartbeats in a row were missed, fewer than the unhealthy threshold.</summary>
    Suspected,

    /// <summary>The unhealthy threshold of missed heartbeats in a row was reached (or it was never heard from).</summary>
    Unhealthy,
}

/// <summary>One secondary as reported in the master's <c>/health</c>.</summary>
/// <param name="AckedIndex">The highest index it confirmed holding (0 while it refuses this log).</param>
/// <param name="Refusing">It holds entries of another log and refuses this one.</param>
/// <param name="LogsMatch">
/// Whether its log matches the master's up to what it holds, by the running checksum its heartbeats carry (null until
/// known). A mismatch is repaired by resending the log from the first entry.
/// </param>
/// <param name="AcksCounted">
/// Whether its acknowledgements count toward write concern now: not after a failed send, a missed heartbeat or a
/// refusal, until it answers again.
/// </param>
public sealed record SecondaryHealthDto(
    string Name,
    string Address,
    SecondaryStatus Status,
    long AckedIndex,
    long Lag,
    DateTimeOffset? LastHeartbeat,
    int MissedHeartbeats,
    string? LastError,
    bool Refusing,
    bool AcksCounted,
    bool? LogsMatch = null);
