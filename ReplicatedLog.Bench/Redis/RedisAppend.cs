using System.Globalization;
using ReplicatedLog.Bench.Load;

namespace ReplicatedLog.Bench.Redis;

/// <summary>
/// One append to Redis, encoded once for the whole run: <c>RPUSH key message</c>, followed in the same send by
/// <c>WAIT replicas timeout</c> when w asks for replicas (as ../shared/bench/perf-vs-redis.sh's respbench does), so
/// one round trip makes an append acknowledged by w nodes. <see cref="WaitReplicas"/> is null for w=1: RPUSH alone.
/// </summary>
public sealed class RedisAppend
{
    /// <summary>The list every append goes to.</summary>
    public const string Key = "replicatedlog-bench";

    public RedisAppend(Uri primary, int size, int? waitReplicas, TimeSpan? waitTimeout)
    {
        Primary = primary;
        WaitReplicas = waitReplicas;
        WaitTimeoutMs = waitTimeout is { } timeout ? AppendBodies.WaitMilliseconds(timeout) : 0;
        var push = RespConnection.Encode("RPUSH", Key, new string('x', size));
        Commands = waitReplicas is { } replicas
            ? [.. push, .. RespConnection.Encode("WAIT", Number(replicas), Number(WaitTimeoutMs))]
            : push;
    }

    /// <summary>The primary, <c>redis://host:port</c>.</summary>
    public Uri Primary { get; }

    /// <summary>How many replicas WAIT asks for (w - 1); null when w=1 and no WAIT is sent.</summary>
    public int? WaitReplicas { get; }

    /// <summary>WAIT's timeout in ms; 0: as long as it takes.</summary>
    public long WaitTimeoutMs { get; }

    /// <summary>RPUSH, and WAIT after it, as RESP.</summary>
    public byte[] Commands { get; }

    /// <summary>What one append is, for the line that says what the run does: <c>RPUSH replicatedlog-bench + WAIT 2 0, pipelined</c>.</summary>
    public string Describe() => WaitReplicas is { } replicas
        ? $"RPUSH {Key} + WAIT {replicas} {WaitTimeoutMs}, pipelined"
        : $"RPUSH {Key}";

    /// <summary>How the replies to <see cref="Commands"/> end the append (the WAIT reply is null for w=1).</summary>
    public AppendOutcome Outcome(RespReply push, RespReply? wait)
    {
        if (push.Kind != RespReplyKind.Integer)
        {
            return new AppendOutcome(AppendOutcomeKind.ErrorReply, Detail: $"RPUSH answered {push}");
        }

        if (WaitReplicas is not { } asked || wait is not { } waited)
        {
            return AppendOutcome.Acknowledged;
        }

        return waited.Kind != RespReplyKind.Integer
            ? new AppendOutcome(AppendOutcomeKind.ErrorReply, Detail: $"WAIT answered {waited}")
            : waited.Integer < asked
                ? new AppendOutcome(AppendOutcomeKind.ShortWrite,
                    Detail: $"WAIT {asked} {WaitTimeoutMs} counted {waited.Integer} replica{(waited.Integer == 1 ? "" : "s")}")
                : AppendOutcome.Acknowledged;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
