using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// Reads a log's entries in order along a route of marks (<see cref="SparseIndex.Route"/>): from the first mark
/// onwards, skipping records of other kinds, and on to the next mark's position when its entry is next. Safe beside
/// the store's writes: records are only ever added at the end of a segment, so a route stays true for the entries it
/// was taken for. An entry that is not where the route says throws <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class EntryWalk(IndexMark[] route, IReadOnlyList<Segment> segments) : IDisposable
{
    private int _mark = -1;
    private long _next = route[0].Index;
    private int _segment = -1;
    private long _offset;
    private FrameReader? _reader;

    /// <summary>The index of the entry <see cref="Next"/> reads.</summary>
    public long NextIndex => _next;

    /// <summary>The running checksum at <paramref name="index"/>, which the route (taken for it alone) leads to.</summary>
    public static ulong ChecksumAt(IndexMark[] route, IReadOnlyList<Segment> segments, long index)
    {
        using var walk = new EntryWalk(route, segments);
        var checksum = route[0].ChecksumBefore;
        while (walk.NextIndex <= index)
        {
            var at = walk.NextIndex;
            checksum = LogChecksum.Next(checksum, at, walk.Next().Text);
        }

        return checksum;
    }

    /// <summary>Reads the entry at <see cref="NextIndex"/>; its text lives until the next call.</summary>
    public Record Next()
    {
        if (_mark + 1 < route.Length && route[_mark + 1].Index == _next)
        {
            _mark++;
            var segment = PositionIndex.SegmentOf(route[_mark].Position);
            if (segment != _segment)
            {
                _reader?.Dispose();
                (_reader, _segment) = (new FrameReader(segments[segment].Handle), segment);
            }

            _offset = PositionIndex.OffsetOf(route[_mark].Position);
        }

        while (true)
        {
            if (_reader!.TryRead(_offset, out var record, out var frameBytes) != FrameStatus.Whole
                || (record.Type == RecordType.Entry && record.Number != _next))
            {
                throw new InvalidDataException(
                    $"Entry {_next} is not where the log says it is ({segments[_segment].Path} at offset {_offset}).");
            }

            _offset += frameBytes;
            if (record.Type == RecordType.Entry)
            {
                _next++;
                return record;
            }
        }
    }

    public void Dispose() => _reader?.Dispose();
}
