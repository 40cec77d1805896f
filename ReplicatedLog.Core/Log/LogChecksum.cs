using System.Buffers;
using System.Text;

namespace ReplicatedLog.Core.Log;

/// <summary>
/// The running checksum of a log: each entry's checksum folds its index and message into the checksum of the entry
/// before it (64-bit FNV-1a), so two logs with the same checksum at index i hold the same entries 1..i (barring a
/// collision). Every node computes it the same way, so the master can tell whether a secondary's log matches its own.
/// </summary>
public static class LogChecksum
{
    /// <summary>The checksum of an empty log.</summary>
    public const ulong Empty = 14695981039346656037UL;

    private const ulong Prime = 1099511628211UL;

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
        var hash = previous;
        for (var shift = 0; shift < 64; shift += 8)
        {
            hash = (hash ^ (byte)(index >> shift)) * Prime;
        }

        foreach (var b in utf8Message)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }

    /// <summary>How a checksum travels and is shown: 16 hexadecimal digits.</summary>
    public static string Format(ulong checksum) => checksum.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
}
