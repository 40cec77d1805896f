namespace ReplicatedLog.Core.Log;

/// <summary>
/// One message at its place in the log. Indexes start at 1 and have no gaps. The same record is stored and travels on
/// the wire (<c>{"index": 7, "message": "text"}</c>).
/// </summary>
public sealed record LogEntry(long Index, string Message);
