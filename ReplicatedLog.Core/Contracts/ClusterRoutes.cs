namespace ReplicatedLog.Core.Contracts;

/// <summary>
/// The routes nodes call on each other, written once for the side that serves them and the side that calls them.
/// Relative (no leading slash), so they resolve under a node's base address.
/// </summary>
public static class ClusterRoutes
{
    /// <summary>Master to secondary: entries to apply.</summary>
    public const string Append = "replication/append";

    /// <summary>
    /// Master to secondary: the replication stream, a WebSocket that carries the same appends as <see cref="Append"/>,
    /// one message each, and their answers in order, so a batch costs two messages instead of an HTTP request.
    /// </summary>
    public const string Stream = "replication/stream";

    /// <summary>The name of the span of one append on the stream, on both sides (the master's call, the secondary's receipt).</summary>
    public const string StreamAppendSpan = "replication/stream append";

    /// <summary>Master to secondary: a heartbeat.</summary>
    public const string Heartbeat = "replication/heartbeat";

    /// <summary>Secondary to master: join the cluster.</summary>
    public const string Register = "replication/register";

    /// <summary>To the master: the secondaries; <c>DELETE {Secondaries}/{name}</c> takes one out.</summary>
    public const string Secondaries = "admin/secondaries";

    /// <summary>The route as mapped on the serving side.</summary>
    public static string Mapped(string route) => "/" + route;
}
