using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Contracts;

/// <summary>The answer of <c>GET /log</c>: a page of entries with their indexes.</summary>
/// <param name="LogId">The identity of the log these entries belong to (null on a secondary that has none yet).</param>
/// <param name="LastIndex">The highest index readable on this node: the end of the log.</param>
/// <param name="Entries">The entries from the requested index on, in index order.</param>
public sealed record LogPage(string? LogId, long LastIndex, IReadOnlyList<LogEntry> Entries);
