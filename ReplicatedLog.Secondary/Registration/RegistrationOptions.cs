using System.ComponentModel.DataAnnotations;
using ReplicatedLog.ServiceDefaults.Resilience;

namespace ReplicatedLog.Secondary.Registration;

/// <summary>Section <c>Registration</c>: how a secondary joins the master named by <c>services:master:http:0</c>.</summary>
public sealed class RegistrationOptions
{
    public const string SectionName = "Registration";

    /// <summary>Registers again after hearing nothing from the master this long (the master may have restarted).</summary>
    [Range(100, 3_600_000)]
    public int ReregisterAfterMs { get; set; } = 10_000;

    /// <summary>On a graceful stop, how long the secondary waits for the master to take it out of the cluster.</summary>
    [Range(1, 60_000)]
    public int DeregisterTimeoutMs { get; set; } = 2_000;

    /// <summary>Backoff while the master cannot be reached.</summary>
    public RetryOptions Retry { get; set; } = new();
}
