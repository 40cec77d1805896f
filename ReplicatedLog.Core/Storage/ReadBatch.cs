using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Storage;

/// <summary>
/// The entries a read returns, bounded as <see cref="ILogStore.Read"/> says: at most a count, and past the first no
/// more than a number of UTF-8 bytes. The file store fills it, and so does the master's log from its recent entries.
/// </summary>
/// <param name="expected">How many entries the caller expects (the list starts with room for them, at most 256).</param>
public sealed class ReadBatch(int maxCount, long maxBytes, long expected = 256)
{
    private readonly List<LogEntry> _entries = new((int)Math.Clamp(Math.Min(maxCount, expected), 0, 256));
    private long _bytes;

    public IReadOnlyList<LogEntry> Entries => _entries;

    /// <summary>True once no further entry fits.</summary>
    public bool Full { get; private set; }

    /// <summary>How many more entries the count allows.</summary>
    public int Room => maxCount - _entries.Count;

    /// <summary>Takes the next entry if it fits; false (and <see cref="Full"/>) when it does not.</summary>
    public bool TryAdd(LogEntry entry, int messageBytes)
    {
        if (Full || (_entries.Count > 0 && _bytes + messageBytes > maxBytes))
        {
            Full = true;
            return false;
        }

        _entries.Add(entry);
        _bytes += messageBytes;
        Full = _entries.Count == maxCount;
        return true;
    }
}
