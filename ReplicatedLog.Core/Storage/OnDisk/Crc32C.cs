using System.Buffers.Binary;
using System.Numerics;

namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// CRC-32C (Castagnoli): the checksum of every record on disk. Eight bytes at a time through
/// <see cref="BitOperations.Crc32C(uint, ulong)"/>, which the processor computes where it can (SSE4.2, ARMv8): recovery
/// checks every record of the log, so this is most of what a restart costs after reading the files.
/// </summary>
internal static class Crc32C
{
    /// <summary>The checksum of <paramref name="data"/> following data whose checksum is <paramref name="crc"/> (0 to start).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
