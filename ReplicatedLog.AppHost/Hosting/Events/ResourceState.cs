namespace ReplicatedLog.AppHost.Hosting.Events;

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
    FailedToStart,
}
