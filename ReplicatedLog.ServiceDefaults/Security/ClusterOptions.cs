namespace ReplicatedLog.ServiceDefaults.Security;

/// <summary>Settings shared by every node of one cluster (section <c>Cluster</c>).</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>
    /// When set, replication, registration and admin routes require <c>Authorization: Bearer {Token}</c>, and the
    /// nodes send it to each other. When not set, those routes answer callers on the loopback interface only
    /// (protected mode).
    /// </summary>
    public string? Token { get; set; }
}
