namespace ReplicatedLog.AppHost.Hosting.Events;

/// <summary>A line a resource's process wrote, to standard output or standard error.</summary>
public sealed record ResourceOutput(string Resource, string Line) : ResourceEvent;
