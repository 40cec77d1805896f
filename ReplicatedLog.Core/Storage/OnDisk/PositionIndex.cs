namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// Where each entry's record starts, one <c>long</c> (8 bytes) per entry: the segment's ordinal in the top bits, the
/// offset in the file in the low <see cref="OffsetBits"/>. Kept in chunks, so a long log never needs one huge array
/// nor copies it to grow. Not thread-safe: the store reads and writes it under its lock.
/// </summary>
internal sealed class PositionIndex
{
    public const int OffsetBits = 40;
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private long[]?[] _chunks = [];

    /// <summary>How many entries have a position: entries 1 to <see cref="Count"/>.</summary>
    public long Count { get; private set; }

    public static long Of(int segment, long offset) => ((long)segment << OffsetBits) | offset;

    public static int SegmentOf(long position) => (int)(position >> OffsetBits);

    public static long OffsetOf(long position) => position & ((1L << OffsetBits) - 1);

    /// <summary>The position of entry <paramref name="index"/> (from 1).</summary>
    public long this[long index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Count);
            var at = index - 1;
            return _chunks[at >> ChunkBits]![at & (ChunkSize - 1)];
        }
    }

    public void Add(long position)
    {
        var chunk = (int)(Count >> ChunkBits);
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, Math.Max(4, _chunks.Length * 2));
        }

        (_chunks[chunk] ??= new long[ChunkSize])[Count & (ChunkSize - 1)] = position;
        Count++;
    }

    /// <summary>Forgets the positions after entry <paramref name="count"/>.</summary>
    public void TruncateTo(long count) => Count = Math.Min(Count, count);
}
