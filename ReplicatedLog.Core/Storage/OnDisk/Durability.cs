namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// A store's durable index, the waiters for it, and the news of its moves. The index moves at once
/// (<see cref="MoveTo"/>); the news goes out later, outside any lock (<see cref="Publish"/>), called by one thread at a
/// time, so subscribers hear every move in order. Once failed (a fault, or the store disposed) every waiter, now and
/// later, fails with the first error given.
/// </summary>
internal sealed class Durability(long index)
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<TaskCompletionSource, long> _waiters = new();
    private readonly Queue<long> _news = new();
    private long _index = index;
    private Exception? _failure;

    public long Index => Volatile.Read(ref _index);

    /// <summary>The error the store failed with, or null.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_lock)
            {
                return _failure;
            }
        }
    }

    public void MoveTo(long durable)
    {
        lock (_lock)
        {
            if (durable != _index)
            {
                Volatile.Write(ref _index, durable);
                _news.Enqueue(durable);
            }
        }
    }

    /// <summary>Completes once the index reaches <paramref name="index"/>, which must be at most <paramref name="lastIndex"/>.</summary>
    public Task WhenAsync(long index, long lastIndex, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_failure is not null)
            {
                return Task.FromException(_failure);
            }

            if (index <= _index)
            {
                return Task.CompletedTask;
            }

            if (index > lastIndex)
            {
                return Task.FromException(new InvalidOperationException(
                    $"Index {index} was never appended: the log ends at {lastIndex}."));
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter, index);
            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Tells <paramref name="changed"/> every move since the last call, in order, then completes the waiters now satisfied.</summary>
    public void Publish(Action<long>? changed)
    {
        var news = new List<long>();
        var ready = new List<TaskCompletionSource>();
        lock (_lock)
        {
            while (_news.TryDequeue(out var durable))
            {
                news.Add(durable);
            }

            while (_waiters.TryPeek(out var waiter, out var at) && at <= _index)
            {
                _waiters.Dequeue();
                ready.Add(waiter);
            }
        }

        foreach (var durable in news)
        {
            changed?.Invoke(durable);
        }

        foreach (var waiter in ready)
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Fails every waiter, now and later, with <paramref name="error"/> (or with the first error, if failed before).</summary>
    public void Fail(Exception error)
    {
        List<TaskCompletionSource> waiting;
        lock (_lock)
        {
            _failure ??= error;
            waiting = [.. _waiters.UnorderedItems.Select(w => w.Element)];
            _waiters.Clear();
        }

        foreach (var waiter in waiting)
        {
            waiter.TrySetException(_failure);
        }
    }
}
