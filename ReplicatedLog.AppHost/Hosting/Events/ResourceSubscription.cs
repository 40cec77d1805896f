using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ReplicatedLog.AppHost.Hosting.Events;

/// <summary>
/// One subscriber's queue on <see cref="ResourceEvents"/>: the events in the order they were published, read with
/// <see cref="ReadAllAsync"/>. The publisher never waits for it. When it reads more slowly than events come:
/// <list type="bullet">
/// <item>At most <c>capacity</c> lines of output wait for it. Lines beyond that are dropped, for this subscriber only,
/// and it gets one <see cref="OutputLinesDropped"/> with their count where they would have been, before the next event
/// it does get. A console that cannot keep up loses lines, never the news that a process exited.</item>
/// <item>Changes of state are never dropped (there are a few per start or stop). A subscriber that leaves
/// <c>capacity</c> of them unread has stopped reading altogether: its subscription ends, and once it has read what
/// was queued, <see cref="ReadAllAsync"/> throws <see cref="SubscriberTooSlowException"/>.</item>
/// </list>
/// So its memory is bounded either way. Dispose it to unsubscribe: what was queued can still be read, then reading ends.
/// </summary>
public sealed class ResourceSubscription : IDisposable
{
    private readonly ResourceEvents _events;
    private readonly int _capacity;
    private readonly Channel<ResourceEvent> _queue =
        Channel.CreateUnbounded<ResourceEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private int _queuedLines;
    private int _queuedStates;
    private long _dropped;

    internal ResourceSubscription(ResourceEvents events, int capacity, IReadOnlyList<ResourceSnapshot> initial)
    {
        _events = events;
        _capacity = capacity;
        Initial = initial;
    }

    /// <summary>
    /// Every resource's state when this subscription began: the first events it reads are these, one
    /// <see cref="ResourceStateChanged"/> each, in this order.
    /// </summary>
    public IReadOnlyList<ResourceSnapshot> Initial { get; }

    /// <summary>The events in the order published, until the subscription is disposed (or ends, see above).</summary>
    public async IAsyncEnumerable<ResourceEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var next in _queue.Reader.ReadAllAsync(cancellationToken))
        {
            if (next is ResourceOutput)
            {
                Interlocked.Decrement(ref _queuedLines);
            }
            else if (next is ResourceStateChanged)
            {
                Interlocked.Decrement(ref _queuedStates);
            }

            yield return next;
        }
    }

    public void Dispose()
    {
        _events.Unsubscribe(this);
        _queue.Writer.TryComplete();
    }

    /// <summary>Queues <paramref name="next"/> under the policy above; false once this subscription has ended. One caller at a time.</summary>
    internal bool Offer(ResourceEvent next)
    {
        if (next is ResourceOutput)
        {
            if (Volatile.Read(ref _queuedLines) >= _capacity)
            {
                _dropped++;
                return true;
            }

            Interlocked.Increment(ref _queuedLines);
        }
        else if (next is ResourceStateChanged && Interlocked.Increment(ref _queuedStates) > _capacity)
        {
            _queue.Writer.TryComplete(new SubscriberTooSlowException(
                $"This subscriber left {_capacity} changes of state unread, so its subscription ended; subscribe again for the current state."));
            return false;
        }

        if (_dropped > 0)
        {
            _queue.Writer.TryWrite(new OutputLinesDropped(_dropped));
            _dropped = 0;
        }

        return _queue.Writer.TryWrite(next);
    }
}
