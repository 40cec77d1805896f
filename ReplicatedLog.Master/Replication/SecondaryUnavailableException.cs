namespace ReplicatedLog.Master.Replication;

/// <summary>A secondary did not give a usable answer. Transient by nature: the caller tries again later.</summary>
public sealed class SecondaryUnavailableException(string message, Exception? inner = null)
    : Exception(message, inner);
