namespace ReplicatedLog.AppHost.Hosting.Events;

/// <summary>A resource's state changed (or its process id became known): its whole snapshot after the change.</summary>
public sealed record ResourceStateChanged(ResourceSnapshot Snapshot) : ResourceEvent
{
    public string Resource => Snapshot.Resource;
}
