using System.Runtime.InteropServices;
using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>Where entry <see cref="Index"/>'s record starts, and the log's running checksum just before it.</summary>
internal readonly record struct IndexMark(long Index, long Position, ulong ChecksumBefore);

/// <summary>
/// Where a file store finds any entry, and the running checksum at any index, without keeping either per entry: a
/// mark (<see cref="IndexMark"/>, 24 bytes) at the first entry, then every <c>stride</c> entries, at the first entry
/// of each segment, and at the first entry written after a truncation. So the entries from one mark to the next lie
/// one after another in one segment, with no truncation among them (only records of other kinds), and an entry is
/// found by reading forward from the mark at or before it. Not thread-safe: the store uses it under its lock.
/// </summary>
internal sealed class SparseIndex(int stride)
{
    private readonly List<IndexMark> _marks = [];
    private bool _markNext = true;

    /// <summary>The last entry's index (0: none).</summary>
    public long LastIndex { get; private set; }

    /// <summary>The running checksum at <see cref="LastIndex"/>.</summary>
    public ulong LastChecksum { get; private set; } = LogChecksum.Empty;

    /// <summary>How many marks it holds: about one every <c>stride</c> entries.</summary>
    public int MarkCount => _marks.Count;

    /// <summary>Takes the entry after the last, written at <paramref name="position"/>, with the checksum at it.</summary>
    public void Add(long index, long position, ulong checksum)
    {
        if (index != LastIndex + 1)
        {
            throw new InvalidOperationException($"Entry {index} does not follow entry {LastIndex}.");
        }

        if (_markNext
            || index - _marks[^1].Index >= stride
            || PositionIndex.SegmentOf(position) != PositionIndex.SegmentOf(_marks[^1].Position))
        {
            _marks.Add(new IndexMark(index, position, LastChecksum));
            _markNext = false;
        }

        (LastIndex, LastChecksum) = (index, checksum);
    }

    /// <summary>Forgets the entries from <paramref name="index"/> on; <paramref name="checksumBefore"/> is the checksum at the entry before it.</summary>
    public void TruncateFrom(long index, ulong checksumBefore)
    {
        if (index > LastIndex)
        {
            return;
        }

        var keep = FirstAtOrAfter(index);
        _marks.RemoveRange(keep, _marks.Count - keep);
        (LastIndex, LastChecksum, _markNext) = (index - 1, checksumBefore, true);
    }

    /// <summary>The checksum at the entry before <paramref name="next"/>, when <paramref name="next"/> has a mark.</summary>
    public bool TryChecksumBefore(long next, out ulong checksum)
    {
        var at = FirstAtOrAfter(next);
        var found = at < _marks.Count && _marks[at].Index == next;
        checksum = found ? _marks[at].ChecksumBefore : 0;
        return found;
    }

    /// <summary>
    /// The marks a read of entries <paramref name="from"/> to <paramref name="to"/> follows (see
    /// <see cref="EntryWalk"/>): the last at or before <paramref name="from"/>, then every one up to <paramref name="to"/>.
    /// </summary>
    public IndexMark[] Route(long from, long to)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(from, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, LastIndex);
        var first = FirstAtOrAfter(from + 1) - 1;
        return CollectionsMarshal.AsSpan(_marks)[first..FirstAtOrAfter(to + 1)].ToArray();
    }

    /// <summary>The first mark whose index is at least <paramref name="index"/> (the count when none is).</summary>
    private int FirstAtOrAfter(long index)
    {
        int low = 0, high = _marks.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_marks[middle].Index < index)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
