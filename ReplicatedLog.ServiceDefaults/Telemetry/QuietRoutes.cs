using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.ServiceDefaults.Telemetry;

/// <summary>
/// The requests that are not traced: health probes (<c>/health</c>, <c>/alive</c>: an AppHost, a dashboard or an
/// orchestrator asks every second) and heartbeats (the master asks each secondary every interval). Each would be a
/// trace of its own, and together they would bury the appends, batches, registrations and reads a user looks for.
/// The replication stream's upgrade is left out too: a span as long as the connection, while each batch it carries
/// has a span of its own in the batch's trace.
/// Both sides leave them out: the server its request span, the client its call (<see cref="QuietClientSpans"/>).
/// </summary>
public static class QuietRoutes
{
    public static readonly IReadOnlyList<string> Paths =
        [Extensions.HealthPath, Extensions.AlivePath, ClusterRoutes.Mapped(ClusterRoutes.Heartbeat), ClusterRoutes.Mapped(ClusterRoutes.Stream)];

    /// <summary>Whether <paramref name="path"/> is one of <see cref="Paths"/> or under one (asked per request).</summary>
    public static bool IsQuiet(string? path)
    {
        if (path is null)
        {
            return false;
        }

        foreach (var quiet in Paths)
        {
            if (path.StartsWith(quiet, StringComparison.OrdinalIgnoreCase) && (path.Length == quiet.Length || path[quiet.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }
}
