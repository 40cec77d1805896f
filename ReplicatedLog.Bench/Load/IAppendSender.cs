namespace ReplicatedLog.Bench.Load;

/// <summary>
/// How one client of the load sends its appends, one at a time: a request to our master's <c>POST /messages</c>, or
/// RPUSH (and WAIT) on a Redis connection of the client's own. Only the run's cancellation throws; every other failure
/// comes back as an <see cref="AppendOutcome"/>.
/// </summary>
public interface IAppendSender : IDisposable
{
    /// <param name="n">The append's number in the run (1, 2, …), for bodies that differ per append.</param>
    ValueTask<AppendOutcome> SendAsync(long n, CancellationToken cancellationToken);
}
