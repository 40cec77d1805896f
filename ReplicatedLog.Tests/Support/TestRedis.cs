using System.Globalization;
using ReplicatedLog.Bench.Redis;

namespace ReplicatedLog.Tests.Support;

/// <summary>A fact that needs <c>redis-server</c> on PATH; skipped, saying so, where it is not installed (.ci/run installs it).</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServers.Find() is null)
        {
            Skip = "redis-server is not installed (.ci/run installs it with apt-get).";
        }
    }
}

/// <summary>
/// A <c>redis-server</c> started by a test on a free loopback port, persistence off, in a directory of its own; a
/// replica of another when given one. Read with <c>redis-cli</c>, so what a test checks does not go through the
/// benchmark's own client. Disposing kills it and deletes the directory.
/// </summary>
public sealed class TestRedis : IDisposable
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(10);
    private readonly ChildProcess _process;
    private readonly TempDirectory _data;

    private TestRedis(ChildProcess process, TempDirectory data, int port)
    {
        _process = process;
        _data = data;
        Port = port;
    }

    public int Port { get; }

    public Uri Url => new($"redis://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Starts a server and waits until it answers PING.</summary>
    public static async Task<TestRedis> StartAsync(TestRedis? replicaOf = null)
    {
        var data = new TempDirectory("redis");
        var port = FreePort.Next();
        var arguments = RedisServers.Arguments("test-redis", port, data.Path, durable: false, replicaOf: replicaOf?.Port);
        var redis = new TestRedis(ChildProcess.StartInOwnGroup(RedisServers.ServerProgram, arguments, data.Path), data, port);
        try
        {
            await Eventually.MatchAsync($"redis-server on port {port} to answer PING", () => redis.CliAsync("PING"), reply => reply == "PONG",
                describe: reply => $"{reply}; output: {string.Join(Environment.NewLine, redis._process.Output.TakeLast(10))}");
            return redis;
        }
        catch
        {
            redis.Dispose();
            throw;
        }
    }

    /// <summary>Waits until <paramref name="replicas"/> replicas are online on this primary.</summary>
    public Task WaitForReplicasAsync(int replicas) =>
        Eventually.MatchAsync($"{replicas} replicas online on port {Port}", () => CliAsync("INFO", "replication"),
            info => RedisReplication.OnlineReplicas(info) == replicas);

    /// <summary>Runs a command with <c>redis-cli</c> and returns its output, trimmed.</summary>
    public async Task<string> CliAsync(params string[] command)
    {
        var (exitCode, output) = await Command.RunAsync("redis-cli", ["-p", Port.ToString(CultureInfo.InvariantCulture), .. command], CliTimeout);
        return exitCode == 0 ? output.Trim() : throw new InvalidOperationException($"redis-cli {string.Join(' ', command)} exited with {exitCode}: {output}");
    }

    public void Dispose()
    {
        _process.Dispose();
        _data.Dispose();
    }
}
