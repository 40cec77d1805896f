using System.Net.Sockets;
using System.Text.Json;
using ReplicatedLog.Bench;
using ReplicatedLog.Bench.Redis;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Processes;

/// <summary>
/// The benchmark's Redis mode against real <c>redis-server</c>s: its RESP client, a Redis it starts itself, a running
/// one it appends to (checked with redis-cli), a WAIT that counts too few replicas, and redis-server not installed.
/// No figure is asserted.
/// </summary>
public sealed class BenchRedisTests
{
    [RedisFact]
    public async Task TheRespClientReadsEveryKindOfReplyAndTheRepliesOfCommandsSentTogetherInOrder()
    {
        using var redis = await TestRedis.StartAsync();
        var token = CancellationToken.None;
        using var connection = await RespConnection.ConnectAsync(redis.Url, token);

        Assert.Equal(new RespReply(RespReplyKind.SimpleString, Text: "PONG"), await connection.CommandAsync(token, "PING"));
        Assert.Equal(new RespReply(RespReplyKind.Null), await connection.CommandAsync(token, "GET", "missing"));
        Assert.Equal(RespReplyKind.Error, (await connection.CommandAsync(token, "NOSUCHCOMMAND")).Kind);
        var large = new string('é', 100_000);
        await connection.CommandAsync(token, "SET", "large", large);
        Assert.Equal(new RespReply(RespReplyKind.BulkString, Text: large), await connection.CommandAsync(token, "GET", "large"));

        // RPUSH and WAIT in one send, as each append of the load: two replies, in order.
        byte[] together = [.. RespConnection.Encode("RPUSH", "list", "a"), .. RespConnection.Encode("RPUSH", "list", "b"), .. RespConnection.Encode("WAIT", "0", "0")];
        await connection.WriteAsync(together, token);
        var replies = new List<RespReply>();
        for (var k = 0; k < 3; k++)
        {
            replies.Add(await connection.ReadAsync(token));
        }

        Assert.Equal([new(RespReplyKind.Integer, 1), new(RespReplyKind.Integer, 2), new(RespReplyKind.Integer, 0)], replies);
        Assert.Equal("a\nb", await redis.CliAsync("LRANGE", "list", "0", "-1"));
    }

    [RedisFact]
    public async Task ACountOf200AgainstARunningRedisWithAReplicaIs200SuccessesAnd200EntriesOnThePrimaryAndTheReplica()
    {
        using var primary = await TestRedis.StartAsync();
        using var replica = await TestRedis.StartAsync(replicaOf: primary);
        await primary.WaitForReplicasAsync(1);
        var (output, error) = (new StringWriter(), new StringWriter());

        var exitCode = await BenchApp.RunAsync(
            ["--redis", "--url", primary.Url.ToString(), "--count", "200", "--clients", "4", "--w", "all", "--warmup", "0", "--json"],
            output, error, live: false, CancellationToken.None);

        Assert.True(exitCode == BenchApp.Success, $"exit code {exitCode}{Environment.NewLine}{error}{output}");
        var report = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(("Redis", primary.Url.GetLeftPart(UriPartial.Authority), 200L, 200L, 0L, JsonValueKind.Null),
            (report.GetProperty("system").GetString(), report.GetProperty("target").GetString(), report.GetProperty("appends").GetInt64(),
             report.GetProperty("successes").GetInt64(), report.GetProperty("errors").GetProperty("total").GetInt64(), report.GetProperty("cluster").ValueKind));
        Assert.Contains("(RPUSH replicatedlog-bench + WAIT 1 0, pipelined)", error.ToString(), StringComparison.Ordinal);

        // w=all is the primary and its one replica: WAIT 1 answered, so the replica holds every entry too.
        Assert.Equal(("200", "200"), (await primary.CliAsync("LLEN", RedisAppend.Key), await replica.CliAsync("LLEN", RedisAppend.Key)));
    }

    [RedisFact]
    public async Task ACountOf200AgainstARedisItStartsIsReportedAs200SuccessesAndItsServersAreStoppedAfter()
    {
        using var data = new TempDirectory("bench");
        var json = Path.Combine(data.Path, "result.json");
        var (output, error) = (new StringWriter(), new StringWriter());

        var exitCode = await BenchApp.RunAsync(
            ["--redis", "--start", "--secondaries", "1", "--count", "200", "--clients", "4", "--warmup", "0", "--json", json],
            output, error, live: false, CancellationToken.None);

        Assert.True(exitCode == BenchApp.Success, $"exit code {exitCode}{Environment.NewLine}{error}{output}");
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        Assert.Equal(("Redis", 200L, 200L, 1, false), (report.GetProperty("system").GetString(), report.GetProperty("appends").GetInt64(),
            report.GetProperty("successes").GetInt64(), report.GetProperty("cluster").GetProperty("secondaries").GetInt32(),
            report.GetProperty("cluster").GetProperty("durable").GetBoolean()));
        Assert.Contains("Starting a Redis primary and 1 replica, persistence off", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("200 acknowledged, 0 failed", output.ToString(), StringComparison.Ordinal);

        // What it started, it stopped: the primary no longer takes connections.
        var primary = new Uri(report.GetProperty("target").GetString()!);
        await Assert.ThrowsAsync<SocketException>(() => RespConnection.ConnectAsync(primary, CancellationToken.None));
    }

    [RedisFact]
    public async Task AWaitThatCountsFewerReplicasThanWAsksIsAFailedAppendAndFailsTheRun()
    {
        using var primary = await TestRedis.StartAsync();
        var (output, error) = (new StringWriter(), new StringWriter());

        // w=2 asks WAIT for one replica; this primary has none, so each WAIT answers 0 after its 20 ms.
        var exitCode = await BenchApp.RunAsync(
            ["--redis", "--url", primary.Url.ToString(), "--count", "20", "--clients", "2", "--w", "2", "--wait-timeout", "20ms", "--warmup", "0"],
            output, error, live: false, CancellationToken.None);

        Assert.Equal(BenchApp.Failed, exitCode);
        Assert.Contains("bench | FAILED: 20 of 20 appends failed (short write ×20); first: WAIT 1 20 counted 0 replicas", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("0 acknowledged, 20 failed", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutRedisServerInstalledTheRedisModeSaysSoAndExitsWith1()
    {
        using var emptyPath = new TempDirectory("path");
        var bench = Path.Combine(AppContext.BaseDirectory, "ReplicatedLog.Bench.dll");

        var (exitCode, output) = await Command.RunAsync("dotnet", [bench, "--redis", "--start", "--count", "10"], TimeSpan.FromSeconds(60),
            new Dictionary<string, string?> { ["PATH"] = emptyPath.Path });

        Assert.True(exitCode == BenchApp.Failed, $"exit code {exitCode}: {output}");
        Assert.Contains("bench | FAILED: redis-server is not installed (not found on PATH): install it (e.g. apt-get install redis-server), " +
            "or give --url redis://HOST:PORT of a running Redis.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }
}
