namespace ReplicatedLog.AppHost.Hosting;

/// <summary>Where a resource is in its life.</summary>
public enum ResourceState
{
    NotStarted,
    Waiting,
    Starting,
    Running,
    Paused,
    Stopping,
    Exited,
}
