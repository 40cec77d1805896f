namespace ReplicatedLog.AppHost.Hosting.Events;

/// <summary>
/// This subscriber read too slowly and lost <paramref name="Count"/> lines of output here, between the events before and
/// after this one; other subscribers got them. See <see cref="ResourceSubscription"/>.
/// </summary>
public sealed record OutputLinesDropped(long Count) : ResourceEvent;
