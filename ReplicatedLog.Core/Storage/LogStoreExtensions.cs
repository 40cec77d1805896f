using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Storage;

public static class LogStoreExtensions
{
    /// <summary>Every message in index order.</summary>
    public static IReadOnlyList<string> Messages(this ILogStore store)
    {
        var last = store.LastIndex;
        return last == 0 ? [] : [.. store.Read(1, (int)Math.Min(last, int.MaxValue)).Select(e => e.Message)];
    }

    /// <summary>The message at <paramref name="index"/>, or null when the log does not reach it.</summary>
    public static string? MessageAt(this ILogStore store, long index) =>
        index >= 1 && store.Read(index, 1) is [var entry] ? entry.Message : null;
}
