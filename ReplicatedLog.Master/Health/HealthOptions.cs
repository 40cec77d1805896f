using System.ComponentModel.DataAnnotations;

namespace ReplicatedLog.Master.Health;

/// <summary>Section <c>Health</c> of the master: heartbeats and what they make of a secondary.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>A heartbeat goes to each secondary this often.</summary>
    [Range(10, 600_000)]
    public int HeartbeatIntervalMs { get; set; } = 1_000;

    /// <summary>This many heartbeats missed in a row make a secondary Unhealthy (fewer make it Suspected).</summary>
    [Range(1, 1_000)]
    public int UnhealthyAfterMisses { get; set; } = 3;

    /// <summary>A heartbeat not answered within this long is missed. Default: the heartbeat interval.</summary>
    [Range(1, 600_000)]
    public int? HeartbeatTimeoutMs { get; set; }

    public TimeSpan Interval => TimeSpan.FromMilliseconds(HeartbeatIntervalMs);

    public TimeSpan Timeout => TimeSpan.FromMilliseconds(HeartbeatTimeoutMs ?? HeartbeatIntervalMs);
}
