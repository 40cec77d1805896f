using ReplicatedLog.Core.Storage;
namespace ReplicatedLog.Tests.Storage;

/// <summary>A truncation that lands while an fsync is under way does not let that fsync vouch for what replaced the suffix.</summary>
public sealed class FileLogStoreTruncationTests : FileStoreFixture
{
    [Fact]
    public async Task EntriesWrittenAfterATruncationDuringAnFsyncBecomeDurableOnlyWithTheNextFsync()
    {
        var store = Open();
        var seen = new List<long>();
        store.DurableIndexChanged += durable =>
        {
            lock (seen)
            {
                seen.Add(durable);
            }
        };
        using var inFsync = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        store.FlushToDisk = handle =>
        {
            inFsync.Release();
            release.Wait(Deadline);
            RandomAccess.FlushToDisk(handle);
        };

        store.Append(Entries(1, 5));
        await inFsync.WaitAsync(Deadline); // the flusher is fsyncing entries 1 to 5
        store.TruncateFrom(3);
        store.Append(Entries(3, 1, "new"));
        release.Set();
        await store.WhenDurableAsync(3, CancellationToken.None).WaitAsync(Deadline);

        lock (seen)
        {
            Assert.Equal([2, 3], seen);
        }

        Assert.True(store.FsyncCount >= 2, $"{store.FsyncCount} fsyncs");
        store.Dispose();
        Assert.Equal(["m1", "m2", "new3"], Open().Messages());
    }
}
