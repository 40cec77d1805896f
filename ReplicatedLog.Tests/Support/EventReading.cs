using ReplicatedLog.AppHost.Hosting.Events;

namespace ReplicatedLog.Tests.Support;

/// <summary>Reads a subscription to the AppHost's events up to an awaited event, within a deadline; a timeout reports the last events seen.</summary>
public static class EventReading
{
    public static async Task<List<ResourceEvent>> ReadUntilAsync(
        this ResourceSubscription subscription, string what, Func<ResourceEvent, bool> last, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Eventually.DefaultDeadline;
        var seen = new List<ResourceEvent>();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await foreach (var next in subscription.ReadAllAsync(timeout.Token))
            {
                seen.Add(next);
                if (last(next))
                {
                    return seen;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}; last seen: {LastOf(seen)}");
        }

        throw new InvalidOperationException($"The subscription ended before {what}; last seen: {LastOf(seen)}");
    }

    /// <summary>Reads up to and including the exit of <paramref name="resource"/>.</summary>
    public static Task<List<ResourceEvent>> ReadUntilExitAsync(this ResourceSubscription subscription, string resource) =>
        subscription.ReadUntilAsync($"{resource} to exit", next => next is ResourceStateChanged
        {
            Snapshot.State: ResourceState.Exited,
        } exited && exited.Resource == resource);

    /// <summary>An event as a line a test can compare: <c>greeter Starting</c>, <c>greeter Starting (pid)</c>, <c>greeter: hello</c>, <c>greeter Exited (3, ExitedOnItsOwn)</c>.</summary>
    public static string Describe(ResourceEvent next) => next switch
    {
        ResourceStateChanged { Snapshot: var s } when s.State is ResourceState.Exited => $"{s.Resource} Exited ({s.ExitCode}, {s.Ending})",
        ResourceStateChanged { Snapshot: var s } => $"{s.Resource} {s.State}{(s.ProcessId is null ? "" : " (pid)")}",
        ResourceOutput output => $"{output.Resource}: {output.Line}",
        OutputLinesDropped dropped => $"{dropped.Count} lines dropped",
        _ => next.ToString(),
    };

    private static string LastOf(List<ResourceEvent> seen) =>
        seen.Count == 0 ? "nothing" : string.Join(" | ", seen.TakeLast(10).Select(Describe));
}
