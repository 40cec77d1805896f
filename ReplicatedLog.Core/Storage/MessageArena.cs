using System.Buffers;
using System.Text;
using ReplicatedLog.Core.Storage.OnDisk;

namespace ReplicatedLog.Core.Storage;

/// <summary>
/// The messages of entries 1 to <see cref="Count"/> as UTF-8 bytes, back to back in chunks of
/// <see cref="ChunkBytes"/>, with where each one starts (a <see cref="PositionIndex"/>: 8 bytes per entry). No object
/// per entry: a million messages of 128 bytes take about 136 MB, where strings in records took about 320 MB
/// (a UTF-16 string of 280 bytes, a record of 32 and a list slot of 8 each). A message may straddle chunks. Not
/// thread-safe: the store uses it under its lock.
/// </summary>
internal sealed class MessageArena
{
    public const int ChunkBytes = 1 << ChunkBits;
    private const int ChunkBits = 20;
    private readonly List<byte[]> _chunks = [];
    private readonly PositionIndex _starts = new();
    private long _length;

    /// <summary>How many messages are held: those of entries 1 to <see cref="Count"/>.</summary>
    public long Count => _starts.Count;

    public void Add(string message)
    {
        var bytes = Encoding.UTF8.GetByteCount(message);
        var start = _length;
        while (_chunks.Count * (long)ChunkBytes < start + bytes)
        {
            _chunks.Add(GC.AllocateUninitializedArray<byte>(ChunkBytes));
        }

        var offset = (int)(start & (ChunkBytes - 1));
        if (offset + bytes <= ChunkBytes)
        {
            Encoding.UTF8.GetBytes(message, _chunks[(int)(start >> ChunkBits)].AsSpan(offset, bytes));
        }
        else
        {
            var encoded = ArrayPool<byte>.Shared.Rent(bytes);
            Encoding.UTF8.GetBytes(message, encoded);
            Copy(encoded.AsSpan(0, bytes), start, toArena: true);
            ArrayPool<byte>.Shared.Return(encoded);
        }

        _starts.Add(start);
        _length = start + bytes;
    }

    /// <summary>The UTF-8 byte count of the message of entry <paramref name="index"/> (from 1).</summary>
    public int ByteCount(long index) => (int)(End(index) - _starts[index]);

    /// <summary>The message of entry <paramref name="index"/> (from 1).</summary>
    public string Message(long index)
    {
        var start = _starts[index];
        var bytes = (int)(End(index) - start);
        var offset = (int)(start & (ChunkBytes - 1));
        if (offset + bytes <= ChunkBytes)
        {
            return bytes == 0 ? "" : Encoding.UTF8.GetString(_chunks[(int)(start >> ChunkBits)], offset, bytes);
        }

        var joined = ArrayPool<byte>.Shared.Rent(bytes);
        Copy(joined.AsSpan(0, bytes), start, toArena: false);
        var message = Encoding.UTF8.GetString(joined, 0, bytes);
        ArrayPool<byte>.Shared.Return(joined);
        return message;
    }

    /// <summary>Forgets the messages after entry <paramref name="count"/>; their space is reused, spare chunks let go.</summary>
    public void TruncateTo(long count)
    {
        if (count >= Count)
        {
            return;
        }

        _length = count == 0 ? 0 : End(count);
        _starts.TruncateTo(count);
        var used = (int)((_length + ChunkBytes - 1) >> ChunkBits);
        _chunks.RemoveRange(used, _chunks.Count - used);
    }

    private long End(long index) => index < Count ? _starts[index + 1] : _length;

    /// <summary>Copies <paramref name="bytes"/> into the arena at <paramref name="position"/>, or out of it from there.</summary>
    private void Copy(Span<byte> bytes, long position, bool toArena)
    {
        while (!bytes.IsEmpty)
        {
            var offset = (int)(position & (ChunkBytes - 1));
            var length = Math.Min(bytes.Length, ChunkBytes - offset);
            var arena = _chunks[(int)(position >> ChunkBits)].AsSpan(offset, length);
            if (toArena)
            {
                bytes[..length].CopyTo(arena);
            }
            else
            {
                arena.CopyTo(bytes);
            }

            bytes = bytes[length..];
            position += length;
        }
    }
}
