using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// The master's outbound seam to one secondary. Any failure to get an answer (refused, timed out, 5xx) surfaces as
/// <see cref="SecondaryUnavailableException"/>; a secondary that refuses this log id as <see cref="LogRefusedException"/>.
/// </summary>
public interface ISecondaryClient
{
    /// <summary>Where the secondary is reached; it changes when the secondary registers again elsewhere.</summary>
    Uri Address { get; set; }

    Task<AppendEntriesResponse> AppendAsync(AppendEntriesRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Gets ready for the first append ahead of it (opens the replication stream), so that append does not wait for
    /// it. Quiet about failures: the append meets them again, and reports them.
    /// </summary>
    Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, CancellationToken cancellationToken);

    /// <summary>A page of the secondary's log (<c>GET /log</c>): how a master that lost its log takes it back.</summary>
    Task<LogPage> ReadAsync(long from, int limit, CancellationToken cancellationToken);
}
