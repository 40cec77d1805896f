using System.Text;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;
namespace ReplicatedLog.Tests.Storage;

/// <summary>
/// What every log store promises, run against each implementation (a subclass says how to open one). A store
/// opened by <see cref="Open"/> is new and empty; subclasses that persist can reopen it to test what survives.
/// </summary>
public abstract class LogStoreContract : IDisposable
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly List<ILogStore> _opened = [];

    /// <summary>A new, empty store with <paramref name="options"/> (a subclass that needs a path gives it one).</summary>
    protected abstract ILogStore OpenNew(StorageOptions options);

    protected ILogStore Open(int keyWindow = 100_000)
    {
        var store = OpenNew(new StorageOptions { KeyWindow = keyWindow });
        _opened.Add(store);
        return store;
    }

    protected static LogEntry[] Entries(long from, int count, string prefix = "m") =>
        [.. Enumerable.Range(0, count).Select(i => new LogEntry(from + i, $"{prefix}{from + i}"))];

    [Fact]
    public void ANewStoreIsEmptyWithNoLogId()
    {
        var store = Open();
        Assert.Equal((0L, 0L, 0L, (string?)null), (store.LastIndex, store.DurableIndex, store.Generation, store.LogId));
        Assert.Empty(store.Read(1, 10));
    }

    [Fact]
    public void AppendedEntriesAreReadBackInOrderFromAnyIndex()
    {
        var store = Open();
        store.Append(Entries(1, 3));
        store.Append(Entries(4, 2));

        Assert.Equal(5, store.LastIndex);
        Assert.Equal(Entries(1, 5), store.Read(1, 100));
        Assert.Equal(Entries(3, 2), store.Read(3, 2));
        Assert.Empty(store.Read(6, 10));
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], store.Messages());
        Assert.Equal("m4", store.MessageAt(4));
        Assert.Null(store.MessageAt(6));
    }

    [Fact]
    public void AnAppendThatDoesNotContinueTheLogIsRefusedAndChangesNothing()
    {
        var store = Open();
        store.Append(Entries(1, 2));

        Assert.Throws<InvalidOperationException>(() => store.Append(Entries(4, 1)));
        Assert.Throws<InvalidOperationException>(() => store.Append([new LogEntry(3, "a"), new LogEntry(5, "b")]));

        Assert.Equal(2, store.LastIndex);
        Assert.Equal(Entries(1, 2), store.Read(1, 100));
    }

    [Fact]
    public void AReadIsBoundedByCountAndBytesButAlwaysCarriesOneEntry()
    {
        var store = Open();
        store.Append([new LogEntry(1, new string('a', 10)), new LogEntry(2, new string('b', 10)), new LogEntry(3, "é")]);

        Assert.Equal(2, store.Read(1, 2).Count);
        Assert.Single(store.Read(1, 100, maxBytes: 15));
        Assert.Equal(2, store.Read(1, 100, maxBytes: 20).Count);
        Assert.Single(store.Read(1, 100, maxBytes: 1)); // one entry always moves
        Assert.Equal(2, store.Read(2, 100, maxBytes: 12).Count); // "é" is 2 UTF-8 bytes
    }

    [Fact]
    public async Task WhatIsAppendedBecomesDurableAndTheStoreSaysSoInOrder()
    {
        var store = Open();
        var seen = new List<long>();
        store.DurableIndexChanged += index =>
        {
            lock (seen)
            {
                seen.Add(index);
            }
        };

        store.Append(Entries(1, 3));
        store.Append(Entries(4, 1));
        await store.WhenDurableAsync(4, CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(4, store.DurableIndex);
        lock (seen)
        {
            Assert.Equal(4, seen[^1]);
            Assert.Equal(seen.Order(), seen);
        }
    }

    [Fact]
    public void TruncatingDropsTheSuffixAndTheLogContinuesFromThere()
    {
        var store = Open();
        store.Append(Entries(1, 5));

        store.TruncateFrom(3);
        store.Append(Entries(3, 1, "new"));

        Assert.Equal(3, store.LastIndex);
        Assert.Equal(["m1", "m2", "new3"], store.Messages());
        Assert.True(store.DurableIndex <= 3);
    }

    [Fact]
    public void TheRunningChecksumFollowsAppendsAndTruncations()
    {
        var store = Open();
        Assert.Equal(ReplicatedLog.Core.Log.LogChecksum.Empty, store.ChecksumAt(0));
        store.Append(Entries(1, 3));
        store.TruncateFrom(3);
        store.Append([new LogEntry(3, "c")]);

        Assert.Equal(ChecksumsOf("m1", "m2", "c"), Enumerable.Range(0, 4).Select(i => store.ChecksumAt(i)));
        Assert.Null(store.ChecksumAt(4));
    }

    /// <summary>The running checksums at 0..n of a log holding <paramref name="messages"/>, computed on their own.</summary>
    internal static IEnumerable<ulong?> ChecksumsOf(params string[] messages)
    {
        var checksums = new ReplicatedLog.Core.Log.RunningChecksums();
        checksums.Append([.. messages.Select((m, i) => new LogEntry(i + 1, m))]);
        return Enumerable.Range(0, messages.Length + 1).Select(i => checksums.At(i));
    }

    [Fact]
    public void IdempotencyKeysAreRememberedWithTheirIndex()
    {
        var store = Open();
        store.RecordKey("order-1", 1);
        store.Append(Entries(1, 1));

        Assert.Equal(1, store.IndexOfKey("order-1"));
        Assert.Null(store.IndexOfKey("order-2"));
    }

    [Fact]
    public void TheKeyWindowKeepsTheMostRecentKeysAndForgetsTheOldestFirst()
    {
        var store = Open(keyWindow: 3);
        AppendUnderKeys(store, 4);

        Assert.Equal([null, 2, 3, 4], KeyIndexes(store, 4));
    }

    [Fact]
    public void AKeyWhoseEntryIsTruncatedAwayIsForgotten()
    {
        var store = Open();
        AppendUnderKeys(store, 3);

        store.TruncateFrom(2);
        Assert.Equal([1, null, null], KeyIndexes(store, 3));

        store.RecordKey("k3", 2);
        store.Append(Entries(2, 1, "new"));
        Assert.Equal([1, null, 2], KeyIndexes(store, 3));
    }

    [Fact]
    public void LargeAndMultiByteMessagesComeBackAsAppendedAlsoAfterATruncation()
    {
        // Messages of about 300 KB of 1- to 4-byte characters and one of 1.4 MB: together they cross several MiB
        // boundaries, some in the middle of a character, which a store that keeps its bytes in chunks must handle.
        var store = Open();
        var messages = Enumerable.Range(1, 12)
            .Select(i => string.Concat(Enumerable.Repeat($"a{i}é€😀", 30_000 + i)))
            .Append(new string('é', 700_000))
            .ToList();
        store.Append([.. messages.Select((message, i) => new LogEntry(i + 1, message))]);

        Assert.Equal(messages, store.Messages());
        var firstTwo = Encoding.UTF8.GetByteCount(messages[0]) + Encoding.UTF8.GetByteCount(messages[1]);
        Assert.Equal(messages[..2], store.Read(1, 100, maxBytes: firstTwo).Select(e => e.Message));
        Assert.Equal(messages[..1], store.Read(1, 100, maxBytes: firstTwo - 1).Select(e => e.Message));

        store.TruncateFrom(5);
        messages.RemoveRange(4, messages.Count - 4);
        messages.AddRange(["", new string('ü', 600_000), "after"]);
        store.Append([.. messages.Skip(4).Select((message, i) => new LogEntry(i + 5, message))]);

        Assert.Equal(messages, store.Messages());
        Assert.Equal(messages[^2], store.MessageAt(6));
    }

    [Fact]
    public void EachEntryKeepsTheGenerationThatMadeItThroughATruncation()
    {
        var store = Open();
        store.Append([new LogEntry(1, "a", 1), new LogEntry(2, "b", 1), new LogEntry(3, "c", 2)]);
        store.TruncateFrom(3);
        store.Append([new LogEntry(3, "c", 3), new LogEntry(4, "d", 3)]);

        Assert.Equal([1L, 1L, 3L, 3L], store.Read(1, 10).Select(e => e.Generation));
        Assert.Equal([new LogEntry(4, "d", 3)], store.Read(4, 10));
    }

    [Fact]
    public void AnotherLogIdStartsTheGenerationsAgain()
    {
        var store = Open();
        store.SetLogId("log-a");
        store.SetGeneration(3);
        store.SetLogId("log-a");
        Assert.Equal(3, store.Generation);

        store.SetLogId("log-b");
        Assert.Equal(0, store.Generation);
        store.SetGeneration(1);
        Assert.Equal(("log-b", 1L), (store.LogId, store.Generation));
    }

    [Fact]
    public void TheLogIdIsKeptAndTheGenerationOnlyGrows()
    {
        var store = Open();
        store.SetLogId("log-a");
        store.SetGeneration(3);
        store.SetGeneration(2);

        Assert.Equal(("log-a", 3L), (store.LogId, store.Generation));
    }

    /// <summary>Appends entries 1 to <paramref name="count"/>, the one at index i under key "k" + i, as the master does.</summary>
    internal static void AppendUnderKeys(ILogStore store, int count)
    {
        for (var index = 1; index <= count; index++)
        {
            store.RecordKey($"k{index}", index);
            store.Append(Entries(index, 1));
        }
    }

    /// <summary>The indexes of keys "k1" to "k" + <paramref name="count"/>, null where a key is not known.</summary>
    internal static long?[] KeyIndexes(ILogStore store, int count) =>
        [.. Enumerable.Range(1, count).Select(i => store.IndexOfKey($"k{i}"))];

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>The in-memory store keeps the contract (and loses everything with the process, by design).</summary>
public sealed class InMemoryLogStoreTests : LogStoreContract
{
    protected override ILogStore OpenNew(StorageOptions options) => new InMemoryLogStore(options);

    [Fact]
    public void AStoreMadeWithoutOptionsRemembersTheDefaultWindowOfKeys()
    {
        using var store = new InMemoryLogStore();
        var window = new StorageOptions().KeyWindow;
        for (var index = 1; index <= window + 1; index++)
        {
            store.RecordKey($"k{index}", index);
        }

        Assert.Equal([null, 2], KeyIndexes(store, 2));
        Assert.Equal(window + 1, store.IndexOfKey($"k{window + 1}"));
    }
}
