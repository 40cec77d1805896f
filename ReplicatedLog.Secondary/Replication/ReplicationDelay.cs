namespace ReplicatedLog.Secondary.Replication;

/// <summary>
/// The artificial delay before a secondary applies and acknowledges each batch from the master
/// (<c>Replication:DelayMs</c>): product behaviour, for watching logs differ and converge. Changed at run time
/// through <c>PUT /admin/delay</c>.
/// </summary>
public sealed class ReplicationDelay(int delayMs)
{
    /// <summary>The longest delay: one hour (the range of <c>Replication:DelayMs</c>).</summary>
    public const int MaxDelayMs = 3_600_000;

    private long _ticks = TimeSpan.FromMilliseconds(delayMs).Ticks;

    public TimeSpan Current => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public int CurrentMs => (int)Current.TotalMilliseconds;

    /// <summary>Sets the delay; validated by the caller.</summary>
    public void Change(int delayMs) => Interlocked.Exchange(ref _ticks, TimeSpan.FromMilliseconds(delayMs).Ticks);
}
