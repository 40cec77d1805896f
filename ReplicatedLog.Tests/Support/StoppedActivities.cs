using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// Every activity of the sources it listens to, sampled and recorded whatever the services' own sampling says, kept
/// as each one stops: what a test looks through to find a trace's spans. Stops listening when disposed.
/// </summary>
public sealed class StoppedActivities : IEnumerable<Activity>, IDisposable
{
    private readonly ConcurrentBag<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public StoppedActivities(Func<ActivitySource, bool> listenTo)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = listenTo,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IEnumerator<Activity> GetEnumerator() => _stopped.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => _listener.Dispose();
}
