namespace ReplicatedLog.Secondary.Registration;

/// <summary>When the master was last heard from (a heartbeat or an append).</summary>
public sealed class MasterContact(TimeProvider time)
{
    private long _lastTicks = time.GetUtcNow().UtcTicks;

    public void Heard() => Interlocked.Exchange(ref _lastTicks, time.GetUtcNow().UtcTicks);

    public DateTimeOffset LastHeard => new(Interlocked.Read(ref _lastTicks), TimeSpan.Zero);

    public TimeSpan Silence => time.GetUtcNow() - LastHeard;
}
