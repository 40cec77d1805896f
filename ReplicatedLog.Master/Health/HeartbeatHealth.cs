using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Master.Health;

/// <summary>
/// The health state machine of one secondary, driven by heartbeats: Healthy after an answer, Suspected after one
/// or more misses in a row, Unhealthy from <c>unhealthyAfterMisses</c> misses on. A secondary never heard from is
/// Unhealthy. Not thread-safe: its owner serializes calls.
/// </summary>
public sealed class HeartbeatHealth
{
    private readonly int _unhealthyAfterMisses;
    private int _misses;
    private bool _everAnswered;

    public HeartbeatHealth(int unhealthyAfterMisses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(unhealthyAfterMisses, 1);
        _unhealthyAfterMisses = unhealthyAfterMisses;
        _misses = unhealthyAfterMisses;
    }

    public SecondaryStatus Status => Classify(_misses);

    /// <summary>Misses in a row since the last answer.</summary>
    public int Misses => _everAnswered ? _misses : 0;

    /// <summary>A heartbeat was answered. Returns the status before.</summary>
    public SecondaryStatus Answered()
    {
        var before = Status;
        _misses = 0;
        _everAnswered = true;
        return before;
    }

    /// <summary>A heartbeat was missed. Returns the status before.</summary>
    public SecondaryStatus Missed()
    {
        var before = Status;
        if (_misses < int.MaxValue)
        {
            _misses++;
        }

        return before;
    }

    private SecondaryStatus Classify(int misses) => misses switch
    {
        0 => SecondaryStatus.Healthy,
        _ when misses >= _unhealthyAfterMisses => SecondaryStatus.Unhealthy,
        _ => SecondaryStatus.Suspected,
    };
}
