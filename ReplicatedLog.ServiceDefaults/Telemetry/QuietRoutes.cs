using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.ServiceDefaults.Telemetry;

/// <summary>
/// The requests that are not traced: health probes (<c>/health</c>, <c>/alive</c>: an AppHost, a dashboard or an
/// orchestrator asks every second) and heartbeats (the master asks each secondary every interval). Each would be a
/// trace of its own, and together they would bury the appends, batches, registrations and reads a user looks for.
/// Both sides leave them out: the server its request span, the client its call (<see cref="QuietClientSpans"/>).
/// </summary>
public static class QuietRoutes
{
    public static readonly IReadOnlyList<string> Paths =
        [Extensions.HealthPath, Extensions.AlivePath, ClusterRoutes.Mapped(ClusterRoutes.Heartbeat)];

    public static bool IsQuiet(string? path) =>
        path is not null && Paths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase)
            || (path.StartsWith(p, StringComparison.OrdinalIgnoreCase) && path[p.Length] == '/'));
}
