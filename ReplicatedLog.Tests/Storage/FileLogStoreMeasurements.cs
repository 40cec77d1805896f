using System.Diagnostics;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;
using Xunit.Abstractions;

namespace ReplicatedLog.Tests.Storage;

/// <summary>A fact that runs only when <c>REPLICATEDLOG_MEASURE=1</c>: measurements, not tests, kept out of the suite.</summary>
public sealed class MeasureFactAttribute : FactAttribute
{
    public MeasureFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("REPLICATEDLOG_MEASURE") != "1")
        {
            Skip = "A measurement: set REPLICATEDLOG_MEASURE=1 to run it.";
        }
    }
}

/// <summary>
/// Figures for the README, printed, never asserted:
/// <c>REPLICATEDLOG_MEASURE=1 dotnet test ReplicatedLog.Tests -c Release --filter Category=Measure --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Measure")]
public sealed class FileLogStoreMeasurements(ITestOutputHelper output) : FileStoreFixture
{
    private const int Count = 1_000_000;
    private const int MessageBytes = 128;

    [MeasureFact]
    public void ReopenAMillionEntriesAndReadThemAll()
    {
        var message = new string('x', MessageBytes);
        using (var store = Open(FsyncMode.None))
        {
            for (var from = 1; from <= Count; from += 1000)
            {
                store.Append([.. Enumerable.Range(from, 1000).Select(i => new LogEntry(i, message))]);
            }
        }

        var clock = Stopwatch.StartNew();
        var reopened = Open();
        var reopen = clock.Elapsed;
        output.WriteLine($"reopen of {reopened.LastIndex:N0} entries in {SegmentFiles().Length} segments: {reopen.TotalMilliseconds:N0} ms ({reopened.Recovery})");

        clock.Restart();
        long read = 0;
        for (long from = 1; from <= Count; from += 10_000)
        {
            read += reopened.Read(from, 10_000).Count;
        }

        output.WriteLine($"read {read:N0} entries in {clock.Elapsed.TotalMilliseconds:N0} ms");
        using var process = Process.GetCurrentProcess();
        output.WriteLine($"after reading: working set {process.WorkingSet64 / 1024 / 1024} MiB, managed heap {GC.GetTotalMemory(false) / 1024 / 1024} MiB");

        // What the store itself keeps, once the garbage of writing and reading is collected and returned.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        process.Refresh();
        output.WriteLine(
            $"after an aggressive collection: working set {process.WorkingSet64 / 1024 / 1024} MiB, " +
            $"managed heap {GC.GetTotalMemory(false) / 1024 / 1024} MiB ({GC.GetTotalMemory(false) / (double)Count:N1} bytes per entry, cache included)");
    }

    [MeasureFact]
    public async Task AppendWithConcurrentAppendersAndFsync()
    {
        const int appenders = 32;
        const int appendsEach = 500;
        var store = Open();
        var gate = new Lock();
        var message = new string('x', MessageBytes);

        async Task AppendAndWait()
        {
            for (var i = 0; i < appendsEach; i++)
            {
                await store.WhenDurableAsync(AppendUnder(gate, store, message).Index, CancellationToken.None);
            }
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, appenders).Select(_ => Task.Run(AppendAndWait)));
        var seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine(
            $"{appenders} appenders x {appendsEach}: {appenders * appendsEach / seconds:N0} durable appends/s, " +
            $"{store.FsyncCount:N0} fsyncs ({appenders * appendsEach / (double)store.FsyncCount:N1} appends per fsync)");
    }
}
