using ReplicatedLog.Core.Log;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Storage;

/// <summary>Generations on disk: each entry's survives a reopen, and a new one is durable before it is used.</summary>
public sealed class FileLogStoreGenerationTests : FileStoreFixture
{
    [Fact]
    public async Task ASetGenerationReturnsOnlyOnceAnFsyncThatStartedAfterItsRecordEnded()
    {
        var store = Open();
        var fsyncsFrom = new List<long>(); // where the records ended when each fsync started
        var inFirstFsync = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        store.FlushToDisk = handle =>
        {
            lock (fsyncsFrom)
            {
                fsyncsFrom.Add(store.WrittenEnd);
            }

            inFirstFsync.TrySetResult();
            release.Wait(Deadline); // the first fsync (of entry 1) is slow
            RandomAccess.FlushToDisk(handle);
        };
        store.Append(Entries(1, 1));
        await inFirstFsync.Task.WaitAsync(Deadline);

        var set = Task.Run(() =>
        {
            store.SetGeneration(5);
            lock (fsyncsFrom)
            {
                return fsyncsFrom.ToList();
            }
        });
        await Eventually.TrueAsync("the generation record to be written", () => store.Generation == 5);
        var recordEnd = store.WrittenEnd;
        release.Set();

        var fsyncedWhenItReturned = await set.WaitAsync(Deadline);
        Assert.Contains(fsyncedWhenItReturned, from => from >= recordEnd);
    }

    [Fact]
    public void EntriesKeepTheirGenerationsAcrossAReopenReadFromTheCacheAndFromTheFiles()
    {
        // A cache of about 3 entries: the first are read back from the files, the last from the cache.
        var store = Open(cacheBytes: 3 * 70);
        var entries = Enumerable.Range(1, 9).Select(i => new LogEntry(i, $"m{i}", Generation: (i + 2) / 3)).ToArray();
        store.Append(entries[..4]);
        store.Append(entries[4..]);
        store.Dispose();

        var reopened = Open(cacheBytes: 3 * 70);

        Assert.Equal(entries, reopened.Read(1, 100));
        Assert.Equal(entries[7..], reopened.Read(8, 100));
    }

    [Fact]
    public void AnotherLogIdStartsTheGenerationsAgainAlsoAfterAReopen()
    {
        var store = Open();
        store.SetLogId("log-a");
        store.SetGeneration(4);
        store.SetLogId("log-b");
        store.SetGeneration(2);
        store.Dispose();

        var reopened = Open();

        Assert.Equal(("log-b", 2L), (reopened.LogId, reopened.Generation));
    }
}
