namespace ReplicatedLog.Master.Replication;

/// <summary>
/// A secondary answered that it holds entries of another log and refuses this one (409). Not transient: sending
/// again changes nothing until the secondary is started empty.
/// </summary>
public sealed class LogRefusedException(string message, Exception? inner = null) : Exception(message, inner);
