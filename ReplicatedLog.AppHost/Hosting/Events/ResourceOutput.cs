namespace ReplicatedLog.AppHost.Hosting.Events;

/// <summary>A line a resource's process wrote, to standard output or standard error.</summary>
public sealed record ResourceOutput(string Resource, string Line) : ResourceEvent
{
    /// <summary>
    /// The line's number among the resource's lines since the stream began (1, 2, ...; across restarts), set by
    /// <see cref="ResourceEvents.Publish"/>: a subscriber that subscribes again can tell the lines it already holds.
    /// </summary>
    public long Number { get; init; }
}
