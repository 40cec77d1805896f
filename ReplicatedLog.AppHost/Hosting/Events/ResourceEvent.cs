namespace ReplicatedLog.AppHost.Hosting.Events;

/// <summary>Something that happened to the resources, as <see cref="ResourceEvents"/> delivers it.</summary>
public abstract record ResourceEvent;
