namespace ReplicatedLog.Core.Storage;

/// <summary>
/// The most recent idempotency keys with the index each was appended at: at most <c>capacity</c> records, the oldest
/// forgotten first. Not thread-safe: used under the store's lock.
/// </summary>
internal sealed class KeyWindow(int capacity)
{
    private readonly Dictionary<string, long> _indexes = new(StringComparer.Ordinal);
    private Queue<(string Key, long Index)> _order = new();

    public long? IndexOf(string key) => _indexes.TryGetValue(key, out var index) ? index : null;

    public void Record(string key, long index)
    {
        _indexes[key] = index;
        _order.Enqueue((key, index));
        while (_order.Count > capacity)
        {
            var (oldest, at) = _order.Dequeue();
            if (_indexes.TryGetValue(oldest, out var current) && current == at)
            {
                _indexes.Remove(oldest);
            }
        }
    }

    /// <summary>Forgets the keys of entries from <paramref name="index"/> on (they are gone).</summary>
    public void ForgetFrom(long index)
    {
        if (!_order.Any(k => k.Index >= index))
        {
            return;
        }

        _order = new Queue<(string, long)>(_order.Where(k => k.Index < index));
        foreach (var key in _indexes.Where(k => k.Value >= index).Select(k => k.Key).ToList())
        {
            _indexes.Remove(key);
        }
    }
}
