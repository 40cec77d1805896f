using ReplicatedLog.Core.Storage;
namespace ReplicatedLog.Tests.Storage;

/// <summary>
/// A store reopens over a torn or damaged file: it keeps exactly the entries before the damage, cuts the rest, says
/// what it cut, and the log continues from there. The log holds entries "m1" to "m5" only: frames of 27 bytes each.
/// </summary>
public sealed class FileLogStoreDamageTests : FileStoreFixture
{
    private const int FrameBytes = 27;

    [Fact]
    public void ATornLastRecordIsCutAway()
    {
        var store = ReopenAfter(file => file.SetLength(file.Length - 10));

        Assert.Equal(4, store.LastIndex);
        Assert.Equal(FrameBytes - 10, store.Recovery.BytesCut);
        Assert.StartsWith("a torn record", store.Recovery.Damage);
        AssertTheLogContinues(store);
    }

    [Fact]
    public void GarbageAfterTheLastRecordIsCutAway()
    {
        var garbage = new byte[100];
        new Random(7).NextBytes(garbage);
        var store = ReopenAfter(file =>
        {
            file.Seek(0, SeekOrigin.End);
            file.Write(garbage);
        });

        Assert.Equal(5, store.LastIndex);
        Assert.Equal(100, store.Recovery.BytesCut);
        AssertTheLogContinues(store);
    }

    [Fact]
    public void AFlippedByteInAMiddleRecordCutsTheLogBeforeIt()
    {
        var store = ReopenAfter(file =>
        {
            file.Position = (2 * FrameBytes) + 25; // the first byte of "m3"
            var b = file.ReadByte();
            file.Position--;
            file.WriteByte((byte)(b ^ 0x01));
        });

        Assert.Equal(2, store.LastIndex);
        Assert.Equal(3 * FrameBytes, store.Recovery.BytesCut);
        Assert.StartsWith("a corrupt record in segment-00000001.log at offset 54", store.Recovery.Damage);
        AssertTheLogContinues(store);
    }

    [Fact]
    public void DamageInAnEarlierSegmentDropsTheSegmentsAfterIt()
    {
        var store = Open(segmentBytes: 2 * FrameBytes);
        store.Append(Entries(1, 2));
        store.Append(Entries(3, 2));
        store.Append(Entries(5, 1));
        store.Dispose();
        Assert.Equal(3, SegmentFiles().Length);
        using (var file = File.Open(SegmentFiles()[0], FileMode.Open))
        {
            file.SetLength(FrameBytes + 3);
        }

        var reopened = Open(segmentBytes: 2 * FrameBytes);

        Assert.Equal(["m1"], reopened.Messages());
        Assert.Equal((3L + (3 * FrameBytes), 2), (reopened.Recovery.BytesCut, reopened.Recovery.SegmentsDropped));
        Assert.Single(SegmentFiles());
    }

    /// <summary>Appends m1..m5, closes the store, damages its segment file and reopens it.</summary>
    private FileLogStore ReopenAfter(Action<FileStream> damage)
    {
        var store = Open();
        store.Append(Entries(1, 3));
        store.Append(Entries(4, 2));
        store.Dispose();
        using (var file = File.Open(Assert.Single(SegmentFiles()), FileMode.Open))
        {
            damage(file);
        }

        return Open();
    }

    /// <summary>Appends after recovery continue the log, and a reopen keeps them with nothing more to cut.</summary>
    private void AssertTheLogContinues(FileLogStore recovered)
    {
        var kept = recovered.Messages();
        Assert.Equal(Entries(1, kept.Count).Select(e => e.Message), kept);
        recovered.Append(Entries(recovered.LastIndex + 1, 2, "after"));
        recovered.Dispose();

        var reopened = Open();

        Assert.Equal([.. kept, $"after{kept.Count + 1}", $"after{kept.Count + 2}"], reopened.Messages());
        Assert.Equal((0L, (string?)null), (reopened.Recovery.BytesCut, reopened.Recovery.Damage));
    }
}
