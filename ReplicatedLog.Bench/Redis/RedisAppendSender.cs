using ReplicatedLog.Bench.Load;

namespace ReplicatedLog.Bench.Redis;

/// <summary>
/// One client of the load against Redis, with a connection of its own: opened on first use, and again after a
/// timeout or a broken connection (whose late replies would otherwise be read as the next append's). Each append
/// writes <see cref="RedisAppend.Commands"/> in one send and reads its one or two replies.
/// </summary>
public sealed class RedisAppendSender(RedisAppend append, TimeSpan timeout) : ConnectionSender(timeout)
{
    private RespConnection? _connection;

    protected override async ValueTask<AppendOutcome> SendOnceAsync(long n, CancellationToken deadline)
    {
        _connection ??= await RespConnection.ConnectAsync(append.Primary, deadline);
        await _connection.WriteAsync(append.Commands, deadline);
        var push = await _connection.ReadAsync(deadline);
        RespReply? wait = append.WaitReplicas is null ? null : await _connection.ReadAsync(deadline);
        return append.Outcome(push, wait);
    }

    protected override void Disconnect()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
