namespace ReplicatedLog.ServiceDefaults.Contracts;

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
public sealed record SecondaryHealthDto(
    string Name,
    string Address,
    SecondaryStatus Status,
    long AckedIndex,
    long Lag,
    DateTimeOffset? LastHeartbeat,
    int MissedHeartbeats,
    string? LastError);
