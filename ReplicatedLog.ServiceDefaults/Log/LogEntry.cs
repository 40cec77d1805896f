namespace ReplicatedLog.ServiceDefaults.Log;

/// <summary>One message at its place in the log. Indexes start at 1 and have no gaps.</summary>
public sealed record LogEntry(long Index, string Message);
