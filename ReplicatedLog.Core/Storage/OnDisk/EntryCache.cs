using System.Buffers;
using System.Text;
using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// The most recent entries with the log's running checksum at each, contiguous up to the last one, within a budget of
/// bytes (each entry counts its UTF-8 bytes plus <see cref="EntryOverheadBytes"/>); the oldest leave first. Not
/// thread-safe: used under the store's lock.
/// <para>
/// The messages are held as UTF-8 bytes in one ring of the budget's size, not as objects, and a read decodes a new
/// <see cref="LogEntry"/>. Objects held here would live a few seconds under load: every collection of the youngest
/// generation would copy the ones appended since the last into an older one, which made those pauses several times
/// longer than the collections of short-lived garbage (a decoded entry that a batch drops once sent) cost.
/// </para>
/// </summary>
internal sealed class EntryCache
{
    /// <summary>What an entry counts beside its text, about what its place in the ring of entries costs.</summary>
    public const int EntryOverheadBytes = 64;

    private readonly long _capacityBytes;
    private byte[] _text = [];
    private Held[] _ring = new Held[16];
    private int _head;
    private int _count;
    private long _bytes;

    /// <summary>Where the next message's bytes go, counted from the first ever added (its place in the ring modulo its length).</summary>
    private long _written;

    public EntryCache(long capacityBytes)
    {
        _capacityBytes = capacityBytes;
    }

    /// <summary>The index of the oldest entry held, or <see cref="long.MaxValue"/> when none is.</summary>
    public long FirstIndex => _count == 0 ? long.MaxValue : _ring[_head].Index;

    /// <summary>Adds the entry after the last one held (or any entry, when none is), with the checksum at it.</summary>
    public void Add(LogEntry entry, int messageBytes, ulong checksum)
    {
        var encoded = ArrayPool<byte>.Shared.Rent(messageBytes);
        Add(entry.Index, entry.Generation, encoded.AsSpan(0, Encoding.UTF8.GetBytes(entry.Message, encoded)), checksum);
        ArrayPool<byte>.Shared.Return(encoded);
    }

    /// <summary>Adds the entry after the last one held from its message as UTF-8 bytes (as recovery reads it from a record).</summary>
    public void Add(long index, long generation, ReadOnlySpan<byte> message, ulong checksum)
    {
        if (MakeRoom(message.Length))
        {
            CopyIn(message, (int)(_written % _text.Length));
            Push(index, generation, message.Length, checksum);
        }
    }

    /// <summary>The entry at <paramref name="index"/> with its UTF-8 size, when held.</summary>
    public bool TryGet(long index, out LogEntry entry, out int messageBytes)
    {
        if (!TryGetSlot(index, out var slot))
        {
            (entry, messageBytes) = (null!, 0);
            return false;
        }

        var at = (int)(slot.Start % _text.Length);
        string message;
        if (at + slot.Length <= _text.Length)
        {
            message = Encoding.UTF8.GetString(_text, at, slot.Length);
        }
        else
        {
            var joined = ArrayPool<byte>.Shared.Rent(slot.Length);
            var first = _text.Length - at;
            _text.AsSpan(at, first).CopyTo(joined);
            _text.AsSpan(0, slot.Length - first).CopyTo(joined.AsSpan(first));
            message = Encoding.UTF8.GetString(joined, 0, slot.Length);
            ArrayPool<byte>.Shared.Return(joined);
        }

        (entry, messageBytes) = (new LogEntry(index, message, slot.Generation), slot.Length);
        return true;
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
        while (_count > 0 && Slot(_count - 1).Index >= index)
        {
            var last = (_head + _count - 1) % _ring.Length;
            _bytes -= _ring[last].Length + EntryOverheadBytes;
            _written = _ring[last].Start;
            _ring[last] = default;
            _count--;
        }
    }

    /// <summary>
    /// Lets the oldest entries go until one of <paramref name="messageBytes"/> fits the budget; false (and nothing
    /// held) when it never would. The live messages then take less than the ring, so the new one overwrites none.
    /// </summary>
    private bool MakeRoom(int messageBytes)
    {
        var cost = messageBytes + EntryOverheadBytes;
        if (cost > _capacityBytes)
        {
            TruncateFrom(long.MinValue);
            return false;
        }

        while (_count > 0 && _bytes + cost > _capacityBytes)
        {
            _bytes -= _ring[_head].Length + EntryOverheadBytes;
            _ring[_head] = default;
            _head = (_head + 1) % _ring.Length;
            _count--;
        }

        var needed = _bytes - ((long)_count * EntryOverheadBytes) + messageBytes;
        if (needed > _text.Length || _text.Length == 0)
        {
            Grow(Math.Max(needed, 1));
        }

        return true;
    }

    /// <summary>
    /// A larger ring, at least <paramref name="needed"/> bytes, at most the budget: it grows by doubling as the log
    /// does, so a store that holds little takes little. Each live byte keeps its count in <see cref="_written"/> and
    /// moves to its place in the new ring (the ring may have wrapped around already: many small entries reach the
    /// budget by their overhead while their bytes fill less than the ring).
    /// </summary>
    private void Grow(long needed)
    {
        var length = Math.Max(_text.Length, 64L * 1024);
        while (length < needed)
        {
            length *= 2;
        }

        var larger = GC.AllocateUninitializedArray<byte>((int)Math.Min(Math.Max(Math.Min(length, _capacityBytes), needed), Array.MaxLength));
        for (var position = _written - (_bytes - ((long)_count * EntryOverheadBytes)); position < _written;)
        {
            var from = (int)(position % _text.Length);
            var to = (int)(position % larger.Length);
            var piece = (int)Math.Min(Math.Min(_written - position, _text.Length - from), larger.Length - to);
            _text.AsSpan(from, piece).CopyTo(larger.AsSpan(to));
            position += piece;
        }

        _text = larger;
    }

    private void Push(long index, long generation, int messageBytes, ulong checksum)
    {
        if (_count == _ring.Length)
        {
            var larger = new Held[_ring.Length * 2];
            for (var i = 0; i < _count; i++)
            {
                larger[i] = Slot(i);
            }

            (_ring, _head) = (larger, 0);
        }

        _ring[(_head + _count++) % _ring.Length] = new Held(index, generation, checksum, _written, messageBytes);
        _bytes += messageBytes + EntryOverheadBytes;
        _written += messageBytes;
    }

    private void CopyIn(ReadOnlySpan<byte> message, int at)
    {
        var first = Math.Min(message.Length, _text.Length - at);
        message[..first].CopyTo(_text.AsSpan(at));
        message[first..].CopyTo(_text);
    }

    private bool TryGetSlot(long index, out Held slot)
    {
        var at = index - FirstIndex;
        var found = _count > 0 && at >= 0 && at < _count;
        slot = found ? Slot((int)at) : default;
        return found;
    }

    private Held Slot(int at) => _ring[(_head + at) % _ring.Length];

    /// <summary>An entry held: its place in the log and, by <see cref="Start"/> and <see cref="Length"/>, its message's bytes in the ring.</summary>
    private readonly record struct Held(long Index, long Generation, ulong Checksum, long Start, int Length);
}
