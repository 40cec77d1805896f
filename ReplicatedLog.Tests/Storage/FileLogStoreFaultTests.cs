namespace ReplicatedLog.Tests.Storage;

/// <summary>A failed fsync is not swallowed: the store is faulted with it.</summary>
public sealed class FileLogStoreFaultTests : FileStoreFixture
{
    [Fact]
    public async Task AFailedFsyncFailsTheWaitersAndEveryLaterChange()
    {
        var store = Open();
        var failure = new IOException("The disk is gone.");
        store.FlushToDisk = _ => throw failure;

        store.Append(Entries(1, 1));

        var thrown = await Assert.ThrowsAsync<IOException>(() => store.WhenDurableAsync(1, CancellationToken.None).WaitAsync(Deadline));
        Assert.Same(failure, thrown);
        Assert.Same(failure, Assert.Throws<IOException>(() => store.Append(Entries(2, 1))).InnerException);
        Assert.Same(failure, Assert.Throws<IOException>(() => store.RecordKey("k", 2)).InnerException);
        Assert.Equal(0, store.DurableIndex);
        await Assert.ThrowsAsync<IOException>(() => store.WhenDurableAsync(1, CancellationToken.None).WaitAsync(Deadline));
    }
}
