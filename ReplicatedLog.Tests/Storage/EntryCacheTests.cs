using System.Text;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage.OnDisk;

namespace ReplicatedLog.Tests.Storage;

/// <summary>
/// A file store serves replication's reads of the tail from its cache of recent entries, which holds their messages as
/// UTF-8 bytes in a ring: what a read gets back is every byte of what was added, whatever the ring did in between
/// (wrapping around, growing, letting the oldest go, being cut back), and an entry the budget let go is not found.
/// </summary>
public sealed class EntryCacheTests
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz é✓😀";

    /// <summary>
    /// A random run of adds (as the store writes an entry, and as recovery replays one from its bytes), cuts from an
    /// index and lookups, against a plain list holding what the budget says the cache holds: the most recent entries
    /// whose bytes plus <see cref="EntryCache.EntryOverheadBytes"/> each fit it, the oldest let go first.
    /// </summary>
    /// <remarks>
    /// With <paramref name="smallFirst"/>, 16,000 entries of 10 bytes come first: they reach the budget by their
    /// overhead while their bytes fill less than the ring, which wraps around before it has grown to the budget; the
    /// large messages after them make it grow with its bytes wrapped.
    /// </remarks>
    [Theory]
    [InlineData(0, 1, false)]
    [InlineData(100, 2, false)]
    [InlineData(300, 3, false)]
    [InlineData(5_000, 4, false)]
    [InlineData(400_000, 5, false)]
    [InlineData(400_000, 6, true)]
    public void ReadsGiveBackEveryByteOfTheEntriesTheBudgetHoldsAndNothingElse(long capacity, int seed, bool smallFirst)
    {
        var random = new Random(seed);
        var cache = new EntryCache(capacity);
        var held = new List<(LogEntry Entry, ulong Checksum)>();
        long heldBytes = 0;
        long next = 1;
        var small = smallFirst ? 16_000 : 0;
        for (var step = 0; step < small + 3_000; step++)
        {
            var choice = step < small ? 0 : random.Next(20);
            if (choice < 16)
            {
                var entry = new LogEntry(next++, step < small ? $"small-{step % 10_000:D4}" : Message(random), random.Next(1, 4));
                var bytes = Encoding.UTF8.GetByteCount(entry.Message);
                var checksum = (ulong)random.NextInt64();
                if (random.Next(2) == 0)
                {
                    cache.Add(entry, bytes, checksum);
                }
                else
                {
                    cache.Add(entry.Index, entry.Generation, Encoding.UTF8.GetBytes(entry.Message), checksum);
                }

                held.Add((entry, checksum));
                heldBytes += Cost(entry);
                while (held.Count > 0 && heldBytes > capacity)
                {
                    heldBytes -= Cost(held[0].Entry);
                    held.RemoveAt(0);
                }
            }
            else if (choice < 19 && next > 1)
            {
                var from = Math.Max(1, next - random.Next(1, 12));
                cache.TruncateFrom(from);
                heldBytes -= held.Where(h => h.Entry.Index >= from).Sum(h => Cost(h.Entry));
                held.RemoveAll(h => h.Entry.Index >= from);
                next = from;
            }

            var first = held.Count == 0 ? long.MaxValue : held[0].Entry.Index;
            Assert.Equal(first, cache.FirstIndex);
            // The most recent entries, a few held ones anywhere, and some past either end.
            var probes = Enumerable.Range(0, 12).Select(i => next + 1 - i)
                .Concat(Enumerable.Range(0, 8).Select(_ => held.Count == 0 ? 1 : held[random.Next(held.Count)].Entry.Index))
                .Append(first - 1);
            foreach (var index in probes.Where(i => i >= 1))
            {
                var at = index - first;
                var expected = at >= 0 && at < held.Count ? held[(int)at] : default;
                Assert.Equal(expected.Entry is not null, cache.TryGet(index, out var entry, out var bytes));
                Assert.Equal(expected.Entry is not null, cache.TryGetChecksum(index, out var checksum));
                if (expected.Entry is not null)
                {
                    Assert.Equal(expected.Entry, entry);
                    Assert.Equal(Encoding.UTF8.GetByteCount(expected.Entry.Message), bytes);
                    Assert.Equal(expected.Checksum, checksum);
                }
            }
        }
    }

    private static int Cost(LogEntry entry) => Encoding.UTF8.GetByteCount(entry.Message) + EntryCache.EntryOverheadBytes;

    /// <summary>Mostly short messages, some empty, some of several thousand bytes (larger than a small budget).</summary>
    private static string Message(Random random)
    {
        var length = random.Next(10) switch
        {
            0 => 0,
            1 => random.Next(1_000, 6_000),
            _ => random.Next(1, 200),
        };
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            var at = random.Next(Alphabet.Length);
            if (char.IsHighSurrogate(Alphabet[at]))
            {
                text.Append(Alphabet, at, 2);
            }
            else if (!char.IsLowSurrogate(Alphabet[at]))
            {
                text.Append(Alphabet[at]);
            }
        }

        return text.ToString();
    }
}
