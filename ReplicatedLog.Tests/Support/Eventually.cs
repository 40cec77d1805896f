using System.Diagnostics;

namespace ReplicatedLog.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes; a failure reports the last state seen.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds for what it returned.</summary>
    public static async Task<T> MatchAsync<T>(
        string what, Func<Task<T>> probe, Func<T, bool> done, TimeSpan? deadline = null, Func<T, string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = deadline ?? DefaultDeadline;
        var last = default(T);
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await probe();
                lastError = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                lastError = ex;
            }

            if (clock.Elapsed > limit)
            {
                var state = lastError is not null ? $"error: {lastError.Message}"
                    : last is null ? "nothing" : describe?.Invoke(last) ?? last.ToString();
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}; last seen: {state}");
            }

            // Polling pace, not a settle delay: the condition is checked again at once after it.
            await Task.Delay(20);
        }
    }

    public static Task TrueAsync(string what, Func<bool> condition, TimeSpan? deadline = null, Func<string>? describe = null) =>
        MatchAsync(what, () => Task.FromResult(condition()), ok => ok, deadline, _ => describe?.Invoke() ?? "false");
}
