using System.ComponentModel.DataAnnotations;
using ReplicatedLog.ServiceDefaults.Resilience;

namespace ReplicatedLog.Master.Replication;

/// <summary>Section <c>Replication</c> of the master.</summary>
public sealed class ReplicationOptions
{
    public const string SectionName = "Replication";

    /// <summary>
    /// The secondaries, as service names (resolved from <c>services:{name}:http:0</c>) or URLs. When absent, every
    /// referenced service whose name starts with <c>secondary</c>. Also accepted as one comma-separated string.
    /// </summary>
    public string[]? Secondaries { get; set; }

    private WriteConcern? _defaultConcern;

    /// <summary>The write concern of an append that names none: a number, <c>majority</c> or <c>all</c>.</summary>
    public string DefaultWriteConcern { get; set; } = "all";

    /// <summary><see cref="DefaultWriteConcern"/> parsed once (it is validated at start).</summary>
    internal WriteConcern DefaultConcern => _defaultConcern ??= WriteConcern.TryParse(DefaultWriteConcern, out var concern)
        ? concern.Value
        : throw new InvalidOperationException($"Replication:DefaultWriteConcern '{DefaultWriteConcern}' is not a write concern.");

    /// <summary>At most this many entries travel in one replication request.</summary>
    [Range(1, 1_000_000)]
    public int BatchMaxEntries { get; set; } = 10_000;

    /// <summary>At most this many bytes of message text in one replication request (one entry always goes).</summary>
    [Range(1, int.MaxValue)]
    public int BatchMaxBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Whether appends go to each secondary on the replication stream (a WebSocket on <c>GET /replication/stream</c>
    /// that stays open: two messages a batch) or as one <c>POST /replication/append</c> each. Both carry the same
    /// batches, one at a time, with the same answers; the stream costs both sides less CPU a batch. A secondary that
    /// does not serve the stream gets HTTP requests either way.
    /// </summary>
    public bool Stream { get; set; } = true;

    /// <summary>
    /// How long a master on an empty data directory that knows no secondary (none configured, none in its member
    /// file) waits for secondaries to register before it decides there is no log to adopt and starts a new one. A
    /// little more than the secondaries' <c>Registration:ReregisterAfterMs</c> (10 s), so that those of a master
    /// that lost its disk are back in time. 0: no wait (a new log at once, as a master with no secondaries did before).
    /// </summary>
    [Range(0, 3_600_000)]
    public int AdoptionWaitMs { get; set; } = 15_000;

    /// <summary>Backoff of a failed replication request (<c>Replication:Retry:BaseDelayMs</c>, ...).</summary>
    public RetryOptions Retry { get; set; } = new();
}
