using System.ComponentModel.DataAnnotations;

namespace ReplicatedLog.ServiceDefaults.Resilience;

/// <summary>How a failed call is retried: exponential backoff with jitter, capped, each attempt timed out.</summary>
public sealed class RetryOptions
{
    /// <summary>The first retry waits about this long; each following one about twice as long.</summary>
    [Range(1, 60_000)]
    public int BaseDelayMs { get; set; } = 100;

    /// <summary>No retry waits longer than this.</summary>
    [Range(1, 600_000)]
    public int MaxDelayMs { get; set; } = 5_000;

    /// <summary>One attempt is abandoned (and retried) after this long.</summary>
    [Range(1, 600_000)]
    public int AttemptTimeoutMs { get; set; } = 2_000;
}
