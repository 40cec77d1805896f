using ReplicatedLog.Bench.Load;
using ReplicatedLog.Bench.Reporting;

namespace ReplicatedLog.Bench.Targets;

/// <summary>
/// What the load appends to, reached and ready: our master (<see cref="ReplicatedLogTarget"/>) or a Redis primary
/// (<see cref="RedisTarget"/>), started by the benchmark or found running. Disposing it stops what the benchmark started.
/// </summary>
public interface IBenchTarget : IAsyncDisposable
{
    /// <summary>The system, where its appends go, and the cluster the benchmark started.</summary>
    TargetInfo Info { get; }

    /// <summary>One append as it is sent: <c>POST /messages</c>, or <c>RPUSH replicatedlog-bench + WAIT 2 0, pipelined</c>.</summary>
    string Append { get; }

    /// <summary>Makes a sender for each client of a load; <paramref name="runId"/> keeps idempotency keys new.</summary>
    Func<IAppendSender> Senders(string runId);
}
