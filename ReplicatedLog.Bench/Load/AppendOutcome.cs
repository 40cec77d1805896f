namespace ReplicatedLog.Bench.Load;

/// <summary>
/// How one append ended: acknowledged (our master's 200 or 201; Redis's RPUSH and, for w &gt; 1, WAIT counting enough
/// replicas), another status, a short write (WAIT counted fewer replicas than w asks), an error reply from Redis, a
/// timeout, or no answer from the connection.
/// </summary>
public readonly record struct AppendOutcome(AppendOutcomeKind Kind, int Status = 0, string? Detail = null)
{
    public static readonly AppendOutcome Acknowledged = new(AppendOutcomeKind.Acknowledged);

    public bool IsSuccess => Kind == AppendOutcomeKind.Acknowledged;
}

public enum AppendOutcomeKind
{
    Acknowledged,

    /// <summary>Any other status, 202 (the write concern timed out) included.</summary>
    Status,

    /// <summary>Redis's WAIT answered with fewer replicas than w asks: the write is on the primary, not on w nodes (our master's counterpart is 202).</summary>
    ShortWrite,

    /// <summary>Redis answered an error (<c>-ERR …</c>, <c>-READONLY …</c>).</summary>
    ErrorReply,
    Timeout,
    Connection,
}
