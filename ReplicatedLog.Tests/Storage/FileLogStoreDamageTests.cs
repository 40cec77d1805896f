using ReplicatedLog.Core.Storage;
namespace ReplicatedLog.Tests.Storage;

/// <summary>
/// A store reopens over a torn or damaged file: it keeps exactly the entries before the damage, cuts the rest, says
/// what it cut, and the log continues from there. The log holds entries "m1" to "m5" only: frames of 27 bytes each,
/// in a file filled with zeros after them (group commit writes over zeros).
/// </summary>
public sealed class FileLogStoreDamageTests : FileStoreFixture
{
    private const int FrameBytes = 27;

    [Fact]
    public void ATornLastRecordIsCutAway()
    {
        var store = ReopenAfter((file, end) => file.SetLength(end - 1));

        Assert.Equal(4, store.LastIndex);
        Assert.Equal(FrameBytes - 1, store.Recovery.BytesCut);
        Assert.StartsWith("a torn record", store.Recovery.Damage);
        AssertTheLogContinues(store);
    }

    [Fact]
    public void GarbageAfterTheLastRecordIsCutAway()
    {
        var garbage = new byte[100];
        new Random(7).NextBytes(garbage);
        garbage[^1] = 0xFF; // zeros at the very end of the last segment are not counted as cut
        var store = ReopenAfter((file, end) =>
        {
            file.Position = end;
            file.Write(garbage);
        });

        Assert.Equal(5, store.LastIndex);
        Assert.Equal(100, store.Recovery.BytesCut);
        AssertTheLogContinues(store);
    }

    [Fact]
    public void AFlippedByteInAMiddleRecordCutsTheLogBeforeIt()
    {
        var store = ReopenAfter((file, _) =>
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

    [Fact]
    public void ZerosAfterTheLastRecordAreNotDamage()
    {
        var store = ReopenAfter((file, end) => Assert.True(file.Length > end, $"file of {file.Length} bytes, records end at {end}"));

        Assert.Equal(5, store.LastIndex);
        Assert.Equal((0L, (string?)null), (store.Recovery.BytesCut, store.Recovery.Damage));
        AssertTheLogContinues(store);
    }

    [Fact]
    public void ARecordTornInsideTheZerosIsCutAway()
    {
        // The header of a sixth record reached the disk, its payload did not: zeros where the payload should be.
        var store = ReopenAfter((file, end) =>
        {
            file.Position = end;
            file.Write([10, 0, 0, 0, 1, 2, 3, 4]);
        });

        Assert.Equal(5, store.LastIndex);
        Assert.Equal(8, store.Recovery.BytesCut);
        Assert.StartsWith("a corrupt record in segment-00000001.log at offset 135", store.Recovery.Damage);
        AssertTheLogContinues(store);
    }

    /// <summary>Appends m1..m5, closes the store, damages its segment file (given where its records end) and reopens it.</summary>
    private FileLogStore ReopenAfter(Action<FileStream, long> damage)
    {
        var store = Open();
        store.Append(Entries(1, 3));
        store.Append(Entries(4, 2));
        var end = store.WrittenEnd;
        Assert.Equal(5 * FrameBytes, end);
        store.Dispose();
        using (var file = File.Open(Assert.Single(SegmentFiles()), FileMode.Open))
        {
            damage(file, end);
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
