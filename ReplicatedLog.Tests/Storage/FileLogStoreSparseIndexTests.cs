using ReplicatedLog.Core.Storage;

namespace ReplicatedLog.Tests.Storage;

/// <summary>
/// A file store keeps a mark every few entries, not a position and a checksum per entry, so its memory does not grow
/// with the log; every entry and every checksum is still found, across segments, truncations and restarts.
/// </summary>
public sealed class FileLogStoreSparseIndexTests : FileStoreFixture
{
    [Fact]
    public void AStoreHoldsAMarkEveryStrideEntriesNotOnePerEntry()
    {
        var store = Open(FsyncMode.None, cacheBytes: 0);
        for (var from = 1; from <= 10_000; from += 100)
        {
            store.Append(Entries(from, 100));
        }

        Assert.Equal(10_000 / 128 + 1, store.IndexMarks);
        Assert.Equal(Entries(5_000, 300), store.Read(5_000, 300));
        Assert.Equal(LogStoreContract.ChecksumsOf([.. Entries(1, 10_000).Select(e => e.Message)]).ElementAt(9_999), store.ChecksumAt(9_999));
    }

    /// <summary>
    /// The same random run of appends (one to seven entries at a time), keys, truncations and reopenings, on a file
    /// store with a mark every 4 entries, segments of a few records and no cache, and on the in-memory store: after each
    /// step both give the same entries and the same checksum at every index.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void EveryEntryAndChecksumIsFoundFromTheMarksAcrossSegmentsTruncationsAndRestarts(int seed)
    {
        var random = new Random(seed);
        FileLogStore Reopen() => Open(FsyncMode.None, segmentBytes: 400, cacheBytes: random.Next(2) * 300, indexStride: 4);
        var store = Reopen();
        using var model = LogStores.Open(new StorageOptions());
        for (var step = 0; step < 120; step++)
        {
            var choice = random.Next(10);
            if (choice < 6 || model.LastIndex == 0)
            {
                var entries = Entries(model.LastIndex + 1, random.Next(1, 8), $"s{step}-");
                store.Append(entries);
                model.Append(entries);
                store.RecordKey($"k{step}", model.LastIndex);
            }
            else if (choice < 9)
            {
                var from = model.LastIndex - random.Next((int)Math.Min(model.LastIndex, 12));
                store.TruncateFrom(from);
                model.TruncateFrom(from);
            }
            else
            {
                store.Dispose();
                store = Reopen();
            }

            AssertSameLog(model, store, $"seed {seed}, step {step}");
        }
    }

    private static void AssertSameLog(ILogStore expected, ILogStore actual, string when)
    {
        Assert.True(expected.LastIndex == actual.LastIndex, $"{when}: last index {actual.LastIndex}, expected {expected.LastIndex}");
        for (var index = 0L; index <= expected.LastIndex + 1; index++)
        {
            Assert.True(expected.ChecksumAt(index) == actual.ChecksumAt(index), $"{when}: checksum at {index}");
        }

        for (var from = 1L; from <= expected.LastIndex; from++)
        {
            Assert.True(expected.Read(from, 9).SequenceEqual(actual.Read(from, 9)), $"{when}: entries from {from}");
        }
    }
}
