using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;
using Xunit.Abstractions;

namespace ReplicatedLog.Tests.Storage;

/// <summary>Appends that arrive together share an fsync, and what a waiter was told is durable survives a reopen.</summary>
public sealed class FileLogStoreGroupCommitTests(ITestOutputHelper output) : FileStoreFixture
{
    private const int Appenders = 10;
    private const int AppendsEach = 50;

    [Fact]
    public async Task AppendsWrittenDuringAnFsyncShareTheNextOneAndEveryEntryReportedDurableSurvivesAReopen()
    {
        var store = Open();
        var gate = new Lock();
        var inFirstFsync = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        store.FlushToDisk = handle =>
        {
            inFirstFsync.TrySetResult();
            release.Wait(Deadline); // the disk is slow: everything written meanwhile waits for the next fsync
            RandomAccess.FlushToDisk(handle);
        };

        var first = AppendUnder(gate, store, "first");
        var waits = new List<Task<LogEntry>> { WaitDurable(first) };
        await inFirstFsync.Task.WaitAsync(Deadline);
        await Task.WhenAll(Enumerable.Range(0, Appenders).Select(a => Task.Run(() =>
        {
            for (var i = 0; i < AppendsEach; i++)
            {
                var entry = AppendUnder(gate, store, $"a{a}-{i}");
                lock (waits)
                {
                    waits.Add(WaitDurable(entry));
                }
            }
        })));
        release.Set();

        var durable = (await Task.WhenAll(waits).WaitAsync(Deadline)).OrderBy(e => e.Index).ToList();
        var fsyncs = store.FsyncCount;
        store.Dispose();
        output.WriteLine($"{durable.Count} appends, {fsyncs} fsyncs");

        Assert.Equal(Enumerable.Range(1, 1 + (Appenders * AppendsEach)).Select(i => (long)i), durable.Select(e => e.Index));
        Assert.InRange(fsyncs, 1, 2); // the slow one, and one for everything written while it ran
        Assert.Equal(durable, Open().Read(1, int.MaxValue));

        async Task<LogEntry> WaitDurable(LogEntry entry)
        {
            await store.WhenDurableAsync(entry.Index, CancellationToken.None).WaitAsync(Deadline);
            return entry;
        }
    }
}
