using System.Net.Sockets;

namespace ReplicatedLog.Bench.Load;

/// <summary>
/// A client of the load with a connection of its own, opened on first use and again after a timeout or a broken
/// connection (whose late answers would otherwise be read as the next append's). Each append has until the run ends
/// or <c>timeout</c> after it starts; a timeout and a failure of the connection become outcomes, not exceptions.
/// </summary>
public abstract class ConnectionSender(TimeSpan timeout) : IAppendSender
{
    private CancellationTokenSource? _deadline;

    public async ValueTask<AppendOutcome> SendAsync(long n, CancellationToken cancellationToken)
    {
        var deadline = Deadline(cancellationToken);
        try
        {
            return await SendOnceAsync(n, deadline);
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
        GC.SuppressFinalize(this);
    }

    /// <summary>Sends append <paramref name="n"/> on the connection (opening it first when there is none) and reads its answer.</summary>
    protected abstract ValueTask<AppendOutcome> SendOnceAsync(long n, CancellationToken deadline);

    /// <summary>Closes the connection, if any: the next append opens a new one.</summary>
    protected abstract void Disconnect();

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
}
