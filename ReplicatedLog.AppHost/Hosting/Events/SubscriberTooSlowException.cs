namespace ReplicatedLog.AppHost.Hosting.Events;

/// <summary>A subscriber stopped reading, and its subscription ended (see <see cref="ResourceSubscription"/>).</summary>
public sealed class SubscriberTooSlowException(string message) : Exception(message);
