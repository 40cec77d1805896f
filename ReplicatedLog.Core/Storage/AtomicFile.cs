using ReplicatedLog.Core.Storage.OnDisk;

namespace ReplicatedLog.Core.Storage;

/// <summary>
/// Replaces a small file all at once, for state kept beside a log that is rewritten whole (not appended): the new
/// content goes to a temporary file that is fsynced, renamed over the old one, and the directory fsynced. A crash at
/// any point leaves either the old file or the new one, never a mix, and once this returns the new one survives it.
/// </summary>
public static class AtomicFile
{
    /// <summary>The suffix of the temporary file; one left by a crash is overwritten by the next write.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>Writes <paramref name="content"/> as the whole of <paramref name="path"/>, durably (its directory is created if needed).</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = path + TemporarySuffix;
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(directory);
    }
}
