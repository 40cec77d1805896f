using System.Net.Sockets;
using ReplicatedLog.Bench.Load;

namespace ReplicatedLog.Bench.Redis;

/// <summary>
/// One client of the load against Redis, with a connection of its own: opened on first use, and again after a
/// timeout or a broken connection (whose late replies would otherwise be read as the next append's). Each append
/// writes <see cref="RedisAppend.Commands"/> in one send and reads its one or two replies.
/// </summary>
public sealed class RedisAppendSender(RedisAppend append, TimeSpan timeout) : IAppendSender
{
    private RespConnection? _connection;
    private CancellationTokenSource? _deadline;

    public async ValueTask<AppendOutcome> SendAsync(long n, CancellationToken cancellationToken)
    {
        var deadline = Deadline(cancellationToken);
        try
        {
            _connection ??= await RespConnection.ConnectAsync(append.Primary, deadline);
            await _connection.WriteAsync(append.Commands, deadline);
            var push = await _connection.ReadAsync(deadline);
            RespReply? wait = append.WaitReplicas is null ? null : await _connection.ReadAsync(deadline);
            return append.Outcome(push, wait);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Disconnect();
            return new AppendOutcome(AppendOutcomeKind.Timeout, Detail: $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
        {
            Disconnect();
            return new AppendOutcome(AppendOutcomeKind.Connection, Detail: ex.Message);
        }
    }

    public void Dispose()
    {
        Disconnect();
        _deadline?.Dispose();
    }

    /// <summary>A token that ends with the run or after <c>timeout</c> from now; one source reused while it has not fired.</summary>
    private CancellationToken Deadline(CancellationToken run)
    {
        if (_deadline is null || !_deadline.TryReset())
        {
            _deadline?.Dispose();
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(run);
        }

        _deadline.CancelAfter(timeout);
        return _deadline.Token;
    }

    private void Disconnect()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
