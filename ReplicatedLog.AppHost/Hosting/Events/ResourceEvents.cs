namespace ReplicatedLog.AppHost.Hosting.Events;

/// <summary>
/// The stream of what happens to the resources: every change of state and every line of output, published once and
/// delivered to any number of subscribers, each in the order published. A new subscriber first gets the current
/// state of every resource (and, if it asks, each resource's last <see cref="RecentLinesKept"/> lines of output),
/// then every event after it. Publishing never waits for a subscriber: each has a bounded queue of its own
/// (<see cref="ResourceSubscription"/> says what one that falls behind loses), so a slow front end holds up neither
/// the processes nor the other front ends.
/// </summary>
public sealed class ResourceEvents
{
    /// <summary>Lines of output that may wait for one subscriber before it loses some.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>Lines of output kept per resource for subscribers that come later and ask for them.</summary>
    public const int RecentLinesKept = 1_000;

    private readonly Lock _lock = new();
    private readonly List<ResourceSubscription> _subscribers = [];
    private readonly OrderedDictionary<string, ResourceSnapshot> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecentLines> _recent = new(StringComparer.Ordinal);

    /// <summary>Subscribes from now on; dispose the subscription to stop.</summary>
    /// <param name="capacity">How many lines of output, and how many changes of state, may wait unread.</param>
    /// <param name="replayOutput">Also get each resource's recent lines, after the states and before anything new.</param>
    public ResourceSubscription Subscribe(int capacity = DefaultCapacity, bool replayOutput = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        lock (_lock)
        {
            var subscription = new ResourceSubscription(this, capacity, [.. _latest.Values]);
            foreach (var snapshot in _latest.Values)
            {
                subscription.Offer(new ResourceStateChanged(snapshot));
            }

            foreach (var line in replayOutput ? _recent.Values.SelectMany(recent => recent.Lines) : [])
            {
                subscription.Offer(line);
            }

            _subscribers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Hands <paramref name="change"/> to every subscriber, in one order for all of them, without waiting for any.</summary>
    public void Publish(ResourceEvent change)
    {
        lock (_lock)
        {
            if (change is ResourceStateChanged state)
            {
                _latest[state.Resource] = state.Snapshot;
            }
            else if (change is ResourceOutput output)
            {
                change = Keep(output);
            }

            _subscribers.RemoveAll(subscriber => !subscriber.Offer(change));
        }
    }

    internal void Unsubscribe(ResourceSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
        }
    }

    /// <summary>Numbers <paramref name="output"/> and keeps it among its resource's recent lines.</summary>
    private ResourceOutput Keep(ResourceOutput output)
    {
        if (!_recent.TryGetValue(output.Resource, out var recent))
        {
            _recent[output.Resource] = recent = new RecentLines();
        }

        var numbered = output with { Number = ++recent.Published };
        recent.Lines.Enqueue(numbered);
        if (recent.Lines.Count > RecentLinesKept)
        {
            recent.Lines.Dequeue();
        }

        return numbered;
    }

    private sealed class RecentLines
    {
        public Queue<ResourceOutput> Lines { get; } = new();

        public long Published { get; set; }
    }
}
