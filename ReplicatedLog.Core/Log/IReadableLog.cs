namespace ReplicatedLog.Core.Log;

/// <summary>What every node serves to readers: the entries it holds, in index order, and nothing beyond them.</summary>
public interface IReadableLog
{
    /// <summary>The identity of the log, or null on a secondary that has not received one yet.</summary>
    string? LogId { get; }

    /// <summary>The highest readable index (0 when empty).</summary>
    long LastIndex { get; }

    /// <summary>Up to <paramref name="limit"/> entries from index <paramref name="from"/> on.</summary>
    IReadOnlyList<LogEntry> Read(long from, int limit);

    /// <summary>Every readable message in index order.</summary>
    IReadOnlyList<string> Messages();
}
