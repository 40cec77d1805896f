namespace ReplicatedLog.Bench.Redis;

/// <summary>What a primary's <c>INFO replication</c> says about its replicas.</summary>
public static class RedisReplication
{
    /// <summary>
    /// How many replicas are online: the <c>slaveN:ip=…,port=…,state=online,…</c> lines of <c>INFO replication</c>
    /// (a replica still syncing says <c>state=wait_bgsave</c> or <c>send_bulk</c>, and WAIT does not count it).
    /// </summary>
    public static int OnlineReplicas(string info) =>
        info.Split('\n', StringSplitOptions.TrimEntries)
            .Count(line => line.StartsWith("slave", StringComparison.Ordinal) && line.Length > 5 && char.IsAsciiDigit(line[5])
                && line.Contains("state=online", StringComparison.Ordinal));

    /// <summary>The primary's online replicas, read with <c>INFO replication</c> on <paramref name="connection"/>.</summary>
    public static async Task<int> OnlineReplicasAsync(RespConnection connection, CancellationToken cancellationToken)
    {
        var reply = await connection.CommandAsync(cancellationToken, "INFO", "replication");
        return reply.Kind == RespReplyKind.BulkString
            ? OnlineReplicas(reply.Text!)
            : throw new InvalidDataException($"INFO replication answered {reply}.");
    }
}
