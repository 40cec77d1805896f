using System.ComponentModel.DataAnnotations;

namespace ReplicatedLog.Secondary.Storage;

/// <summary>Section <c>Replication</c> of a secondary.</summary>
public sealed class SecondaryReplicationOptions
{
    public const string SectionName = "Replication";

    /// <summary>An artificial delay before each batch from the master is applied and acknowledged.</summary>
    [Range(0, Replication.ReplicationDelay.MaxDelayMs)]
    public int DelayMs { get; set; }

    /// <summary>At most this many early entries wait for a gap to fill; more are dropped (the master resends them).</summary>
    [Range(1, 10_000_000)]
    public int MaxHeldBack { get; set; } = 100_000;
}

/// <summary>Section <c>Secondary</c>: how this secondary presents itself when it registers with the master.</summary>
public sealed class IdentityOptions
{
    public const string SectionName = "Secondary";

    /// <summary>Its name; default <c>OTEL_SERVICE_NAME</c>, else <c>secondary-{port}</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The URL the master reaches it at; default the first address it listens on.</summary>
    public string? AdvertisedUrl { get; set; }
}
