namespace ReplicatedLog.Secondary.Health;

/// <summary>Remembers the last log id this secondary refused, so its health can say so.</summary>
public sealed class LogIdWatch
{
    private string? _refused;

    public string? RefusedLogId => Volatile.Read(ref _refused);

    public void Refused(string logId) => Volatile.Write(ref _refused, logId);

    public void Accepted() => Volatile.Write(ref _refused, null);
}
