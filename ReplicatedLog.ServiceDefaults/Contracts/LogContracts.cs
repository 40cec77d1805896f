namespace ReplicatedLog.ServiceDefaults.Contracts;

/// <summary>One entry of a log as it travels on the wire: its index and its message.</summary>
public sealed record LogEntryDto(long Index, string Message);

/// <summary>The answer of <c>GET /log</c>: a page of entries with their indexes.</summary>
/// <param name="LogId">The identity of the log these entries belong to (null on a secondary that has none yet).</param>
/// <param name="LastIndex">The highest index readable on this node: the end of the log.</param>
/// <param name="Entries">The entries from the requested index on, in index order.</param>
public sealed record LogPage(string? LogId, long LastIndex, IReadOnlyList<LogEntryDto> Entries);
