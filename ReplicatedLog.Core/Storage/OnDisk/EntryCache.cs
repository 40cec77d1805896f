using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// The most recent entries with the log's running checksum at each, contiguous up to the last one, within a budget of
/// bytes (each entry counts its UTF-8 bytes plus <see cref="EntryOverheadBytes"/>); the oldest leave first. Not
/// thread-safe: used under the store's lock.
/// </summary>
internal sealed class EntryCache(long capacityBytes)
{
    /// <summary>About what an entry costs in memory beside its text (the record, the string's header, the slot).</summary>
    public const int EntryOverheadBytes = 64;

    private (LogEntry Entry, int Bytes, ulong Checksum)[] _ring = new (LogEntry, int, ulong)[16];
    private int _head;
    private int _count;
    private long _bytes;

    /// <summary>The index of the oldest entry held, or <see cref="long.MaxValue"/> when none is.</summary>
    public long FirstIndex => _count == 0 ? long.MaxValue : _ring[_head].Entry.Index;

    /// <summary>Adds the entry after the last one held (or any entry, when none is), with the checksum at it.</summary>
    public void Add(LogEntry entry, int messageBytes, ulong checksum)
    {
        if (_count == _ring.Length)
        {
            var larger = new (LogEntry, int, ulong)[_ring.Length * 2];
            for (var i = 0; i < _count; i++)
            {
                larger[i] = Slot(i);
            }

            (_ring, _head) = (larger, 0);
        }

        _ring[(_head + _count++) % _ring.Length] = (entry, messageBytes, checksum);
        _bytes += messageBytes + EntryOverheadBytes;
        while (_count > 0 && _bytes > capacityBytes)
        {
            _bytes -= _ring[_head].Bytes + EntryOverheadBytes;
            _ring[_head] = default;
            _head = (_head + 1) % _ring.Length;
            _count--;
        }
    }

    /// <summary>The entry at <paramref name="index"/> with its UTF-8 size, when held.</summary>
    public bool TryGet(long index, out LogEntry entry, out int messageBytes)
    {
        var found = TryGetSlot(index, out var slot);
        (entry, messageBytes) = (slot.Entry, slot.Bytes);
        return found;
    }

    /// <summary>The running checksum at <paramref name="index"/>, when its entry is held.</summary>
    public bool TryGetChecksum(long index, out ulong checksum)
    {
        var found = TryGetSlot(index, out var slot);
        checksum = slot.Checksum;
        return found;
    }

    /// <summary>Drops the entries from <paramref name="index"/> on.</summary>
    public void TruncateFrom(long index)
    {
        while (_count > 0 && Slot(_count - 1).Entry.Index >= index)
        {
            var last = (_head + _count - 1) % _ring.Length;
            _bytes -= _ring[last].Bytes + EntryOverheadBytes;
            _ring[last] = default;
            _count--;
        }
    }

    private bool TryGetSlot(long index, out (LogEntry Entry, int Bytes, ulong Checksum) slot)
    {
        var at = index - FirstIndex;
        var found = _count > 0 && at >= 0 && at < _count;
        slot = found ? Slot((int)at) : default;
        return found;
    }

    private (LogEntry Entry, int Bytes, ulong Checksum) Slot(int at) => _ring[(_head + at) % _ring.Length];
}
