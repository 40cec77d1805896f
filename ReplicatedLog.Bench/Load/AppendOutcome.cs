namespace ReplicatedLog.Bench.Load;

/// <summary>How one append ended: acknowledged (200 or 201), another status, a timeout, or no answer from the connection.</summary>
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
    Timeout,
    Connection,
}
