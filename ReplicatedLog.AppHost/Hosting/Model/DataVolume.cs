namespace ReplicatedLog.AppHost.Hosting.Model;

/// <summary>A volume a deployed resource keeps its data in: its name (<c>master-data</c>) and where it is mounted.</summary>
public sealed record DataVolume(string Name, string Target)
{
    /// <summary>Where a deployed resource finds its volume, inside its container.</summary>
    public const string DeployedPath = "/data";
}
