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
    public async Task ConcurrentAppendsShareFsyncsAndEveryEntryReportedDurableSurvivesAReopen()
    {
        var store = Open();
        var gate = new Lock();
        var durable = new List<LogEntry>();

        async Task AppendAndWait(int appender)
        {
            for (var i = 0; i < AppendsEach; i++)
            {
                var entry = AppendUnder(gate, store, $"a{appender}-{i}");
                await store.WhenDurableAsync(entry.Index, CancellationToken.None).WaitAsync(Deadline);
                lock (durable)
                {
                    durable.Add(entry);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Appenders).Select(a => Task.Run(() => AppendAndWait(a))));
        var fsyncs = store.FsyncCount;
        store.Dispose();
        output.WriteLine($"{Appenders * AppendsEach} appends, {fsyncs} fsyncs");

        var inOrder = durable.OrderBy(e => e.Index).ToList();
        Assert.Equal(Enumerable.Range(1, Appenders * AppendsEach).Select(i => (long)i), inOrder.Select(e => e.Index));
        Assert.InRange(fsyncs, 1, Appenders * AppendsEach / 2);
        Assert.Equal(inOrder, Open().Read(1, int.MaxValue));
    }
}
