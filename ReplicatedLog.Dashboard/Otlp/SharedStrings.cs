using System.Collections.Concurrent;

namespace ReplicatedLog.Dashboard.Otlp;

/// <summary>
/// One instance of each short string that telemetry repeats (attribute keys, span names, routes, service and scope
/// names, severities), so that what the store keeps points to it instead of to the copy each record was decoded with:
/// the copies die young, where tens of thousands of kept duplicates would each be traced and moved by every
/// collection until the store lets go of them. Bounded: past <paramref name="capacity"/> strings it shares no more
/// (a sender with endless distinct values costs what it did without it). Safe for concurrent exports.
/// </summary>
public sealed class SharedStrings(int capacity)
{
    /// <summary>Longer strings are mostly one of a kind (messages, URLs with query strings): not worth a look-up.</summary>
    public const int MaxLength = 64;

    private static readonly string[] SmallNumbers = [.. Enumerable.Range(0, 1024).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private readonly ConcurrentDictionary<string, string> _table = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>The shared instance of <paramref name="text"/>, or <paramref name="text"/> itself.</summary>
    public string Get(string text)
    {
        if (text.Length > MaxLength)
        {
            return text;
        }

        if (_table.TryGetValue(text, out var shared))
        {
            return shared;
        }

        if (Volatile.Read(ref _count) >= capacity)
        {
            return text;
        }

        shared = _table.GetOrAdd(text, text);
        if (ReferenceEquals(shared, text))
        {
            Interlocked.Increment(ref _count);
        }

        return shared;
    }

    /// <summary>A number as text; the small ones (status codes, counts, w) always the same instance.</summary>
    public static string Number(long value) =>
        (ulong)value < (ulong)SmallNumbers.Length ? SmallNumbers[value] : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
