namespace ReplicatedLog.Core.Contracts;

/// <summary>
/// The routes nodes call on each other, written once for the side that serves them and the side that calls them.
/// Relative (no leading slash), so they resolve under a node's base address.
/// </summary>
public static class ClusterRoutes
{
    /// <summary>Master to secondary: entries to apply.</summary>
    public const string Append = "replication/append";

    /// <summary>Master to secondary: a heartbeat.</summary>
    public const string Heartbeat = "replication/heartbeat";

    /// <summary>Secondary to master: join the cluster.</summary>
    public const string Register = "replication/register";

    /// <summary>To the master: the secondaries; <c>DELETE {Secondaries}/{name}</c> takes one out.</summary>
    public const string Secondaries = "admin/secondaries";

    /// <summary>The route as mapped on the serving side.</summary>
    public static string Mapped(string route) => "/" + route;
}
