using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

[assembly: InternalsVisibleTo("ReplicatedLog.Tests")]

namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>What a record on disk says.</summary>
internal enum RecordType : byte
{
    /// <summary>An entry: its index, the generation that wrote it, its message.</summary>
    Entry = 1,

    /// <summary>An idempotency key: the index it was appended at, the key.</summary>
    Key = 2,

    /// <summary>The log id.</summary>
    LogId = 3,

    /// <summary>The generation of a master run.</summary>
    Generation = 4,

    /// <summary>Entries from this index on are gone.</summary>
    Truncation = 5,
}

/// <summary>How a frame read from disk turned out.</summary>
internal enum FrameStatus
{
    Whole,

    /// <summary>The data ends inside the frame (a torn write).</summary>
    Short,

    /// <summary>The frame is whole but its length, checksum or content is wrong.</summary>
    Corrupt,
}

/// <summary>A record as read from a frame: the numbers its type carries, and its text as UTF-8.</summary>
internal readonly ref struct Record(RecordType type, long number, long second, ReadOnlySpan<byte> text)
{
    public RecordType Type { get; } = type;

    /// <summary>The index (entry, key, truncation) or the generation.</summary>
    public long Number { get; } = number;

    /// <summary>The generation that wrote an entry.</summary>
    public long Second { get; } = second;

    /// <summary>The message, the key or the log id.</summary>
    public ReadOnlySpan<byte> Text { get; } = text;
}

/// <summary>
/// The framing of a record: a 4-byte payload length, the CRC-32C of those 4 bytes and the payload, then the payload
/// (a type byte, the type's 8-byte numbers, then UTF-8 text). Little-endian.
/// </summary>
internal static class RecordFrame
{
    public const int HeaderBytes = 8;

    /// <summary>The bytes of an entry's frame beside its message: the header, the type, the index and the generation.</summary>
    public const int EntryFrameOverhead = HeaderBytes + 1 + 8 + 8;

    /// <summary>Writes one frame; returns its size in bytes.</summary>
    public static int Write(IBufferWriter<byte> output, RecordType type, long number = 0, long second = 0, string? text = null)
    {
        var numbers = NumberCount(type);
        var payload = 1 + (8 * numbers) + (text is null ? 0 : Encoding.UTF8.GetByteCount(text));
        var frame = output.GetSpan(HeaderBytes + payload)[..(HeaderBytes + payload)];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload);
        frame[HeaderBytes] = (byte)type;
        var body = frame[(HeaderBytes + 1)..];
        if (numbers > 0)
        {
            BinaryPrimitives.WriteInt64LittleEndian(body, number);
        }

        if (numbers > 1)
        {
            BinaryPrimitives.WriteInt64LittleEndian(body[8..], second);
        }

        Encoding.UTF8.GetBytes(text, body[(8 * numbers)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Checksum(frame, payload));
        output.Advance(frame.Length);
        return frame.Length;
    }

    /// <summary>The frame's total size from its header, or null when fewer than <see cref="HeaderBytes"/> are given.</summary>
    public static long? FrameBytes(ReadOnlySpan<byte> data) =>
        data.Length < HeaderBytes ? null : HeaderBytes + (long)(uint)BinaryPrimitives.ReadInt32LittleEndian(data);

    /// <summary>Reads the frame that starts <paramref name="data"/>.</summary>
    public static FrameStatus TryRead(ReadOnlySpan<byte> data, out Record record, out int frameBytes)
    {
        record = default;
        frameBytes = 0;
        if (data.Length < HeaderBytes)
        {
            return FrameStatus.Short;
        }

        var payload = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (payload < 1)
        {
            return FrameStatus.Corrupt;
        }

        if (data.Length - HeaderBytes < payload)
        {
            return FrameStatus.Short;
        }

        var body = data.Slice(HeaderBytes, payload);
        var type = (RecordType)body[0];
        var numbers = NumberCount(type);
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) != Checksum(data, payload) || numbers < 0 || payload < 1 + (8 * numbers))
        {
            return FrameStatus.Corrupt;
        }

        record = new Record(
            type,
            numbers > 0 ? BinaryPrimitives.ReadInt64LittleEndian(body[1..]) : 0,
            numbers > 1 ? BinaryPrimitives.ReadInt64LittleEndian(body[9..]) : 0,
            body[(1 + (8 * numbers))..]);
        frameBytes = HeaderBytes + payload;
        return FrameStatus.Whole;
    }

    private static uint Checksum(ReadOnlySpan<byte> frame, int payload) =>
        Crc32C.Append(Crc32C.Append(0, frame[..4]), frame.Slice(HeaderBytes, payload));

    private static int NumberCount(RecordType type) => type switch
    {
        RecordType.Entry => 2,
        RecordType.Key or RecordType.Generation or RecordType.Truncation => 1,
        RecordType.LogId => 0,
        _ => -1,
    };
}
