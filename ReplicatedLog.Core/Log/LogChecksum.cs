using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace ReplicatedLog.Core.Log;

/// <summary>
/// The running checksum of a log: each entry's checksum folds its index and message into the checksum of the entry
/// before it (a 64-bit multiply-and-rotate hash over 8-byte words, fast enough to check a million entries at a
/// restart), so two logs with the same checksum at index i hold the same entries 1..i (barring a collision). Every node computes it the same way, so the master can tell whether a secondary's log matches its own.
/// </summary>
public static class LogChecksum
{
    /// <summary>The checksum of an empty log.</summary>
    public const ulong Empty = 14695981039346656037UL;

    private const ulong Spread = 0x9E3779B97F4A7C15UL;
    private const ulong Prime = 0x100000001B3UL;

    public static ulong Next(ulong previous, LogEntry entry)
    {
        var length = Encoding.UTF8.GetMaxByteCount(entry.Message.Length);
        var rented = length <= 1024 ? null : ArrayPool<byte>.Shared.Rent(length);
        Span<byte> buffer = rented ?? stackalloc byte[1024];
        var written = Encoding.UTF8.GetBytes(entry.Message, buffer);
        var hash = Next(previous, entry.Index, buffer[..written]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return hash;
    }

    /// <summary>The same, from the message as UTF-8 bytes (as a store reads it back).</summary>
    public static ulong Next(ulong previous, long index, ReadOnlySpan<byte> utf8Message)
    {
        var hash = Mix(Mix(previous, (ulong)index), (ulong)utf8Message.Length);
        while (utf8Message.Length >= sizeof(ulong))
        {
            hash = Mix(hash, BinaryPrimitives.ReadUInt64LittleEndian(utf8Message));
            utf8Message = utf8Message[sizeof(ulong)..];
        }

        ulong tail = 0;
        for (var i = 0; i < utf8Message.Length; i++)
        {
            tail |= (ulong)utf8Message[i] << (8 * i);
        }

        return Mix(hash, tail);
    }

    private static ulong Mix(ulong hash, ulong word) => BitOperations.RotateLeft(hash ^ (word * Spread), 31) * Prime;

    /// <summary>How a checksum travels and is shown: 16 hexadecimal digits.</summary>
    public static string Format(ulong checksum) => checksum.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
}
