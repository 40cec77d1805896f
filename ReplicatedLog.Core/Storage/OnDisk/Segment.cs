using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// One append-only segment file, <c>segment-00000001.log</c> and on, open for positional writes at its end and reads
/// anywhere. <see cref="Ordinal"/> is its place among the store's open segments, the part of a position naming it.
/// </summary>
internal sealed class Segment : IDisposable
{
    private const string Prefix = "segment-";
    private const string Suffix = ".log";

    private Segment(int ordinal, long number, string path, SafeFileHandle handle)
    {
        (Ordinal, Number, Path, Handle) = (ordinal, number, path, handle);
        Length = RandomAccess.GetLength(handle);
    }

    public int Ordinal { get; }

    public long Number { get; }

    public string Path { get; }

    public SafeFileHandle Handle { get; }

    /// <summary>Where the next record goes (the owner writes; recovery may cut it back).</summary>
    public long Length { get; set; }

    /// <summary>Written since its last fsync.</summary>
    public bool Dirty { get; set; }

    /// <summary>The numbers of the segment files in <paramref name="directory"/>, in order.</summary>
    public static IReadOnlyList<long> Numbers(string directory) =>
    [
        .. Directory.EnumerateFiles(directory, Prefix + "*" + Suffix)
            .Select(path => System.IO.Path.GetFileName(path)[Prefix.Length..^Suffix.Length])
            .Select(text => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0)
            .Where(number => number > 0)
            .Order(),
    ];

    public static string PathOf(string directory, long number) =>
        System.IO.Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{number:D8}{Suffix}"));

    /// <summary>Opens (or creates) segment <paramref name="number"/>.</summary>
    public static Segment Open(string directory, int ordinal, long number)
    {
        var path = PathOf(directory, number);
        return new Segment(ordinal, number, path, File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read));
    }

    /// <summary>Writes <paramref name="bytes"/> at the end; returns where they start.</summary>
    public long Append(ReadOnlySpan<byte> bytes)
    {
        var offset = Length;
        RandomAccess.Write(Handle, bytes, offset);
        Length += bytes.Length;
        Dirty = true;
        return offset;
    }

    /// <summary>Cuts the file at <paramref name="length"/>.</summary>
    public void Cut(long length)
    {
        RandomAccess.SetLength(Handle, length);
        Length = length;
    }

    public void Dispose() => Handle.Dispose();
}
