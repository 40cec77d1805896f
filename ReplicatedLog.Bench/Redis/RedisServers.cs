using System.Globalization;
using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.AppHost.Hosting.Runtime;

namespace ReplicatedLog.Bench.Redis;

/// <summary>
/// A Redis of the benchmark's own: <c>redis-server</c> as a primary and N replicas on a free block of loopback ports,
/// run by the AppHost's runner (so they die with the benchmark, even on SIGKILL, and a Ctrl+C reaches the benchmark
/// alone, which stops them), with their files in a temporary directory. Persistence is off, or with <c>durable</c>
/// the primary appends every write to its AOF and fsyncs it before it answers (<c>appendfsync always</c>), as
/// ../shared/bench/perf-vs-redis.sh runs it with DURABLE=1. Disposing it stops the replicas, then the primary, and
/// deletes the directory.
/// </summary>
public sealed class RedisServers : IAsyncDisposable
{
    public const string ServerProgram = "redis-server";
    private const string Primary = "redis-primary";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly ClusterHost _host;
    private readonly DirectoryInfo _data;

    private RedisServers(ClusterHost host, DirectoryInfo data, Uri url)
    {
        _host = host;
        _data = data;
        Url = url;
    }

    /// <summary>The primary, <c>redis://127.0.0.1:port</c>.</summary>
    public Uri Url { get; }

    /// <summary>The full path of <c>redis-server</c> on PATH; null when it is not installed.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, ServerProgram))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Starts the primary, then the replicas, and returns once every replica is online (has synced and streams
    /// writes); throws <see cref="ResourceFailedException"/>, with the last lines of its output, when one exits or the
    /// replicas are not online within the AppHost's health timeout.
    /// </summary>
    public static async Task<RedisServers> StartAsync(string server, int replicas, bool durable, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("replicatedlog-bench-redis-");
        var port = FreePort.Block(replicas + 1);
        var builder = ClusterHostBuilder.Create(["--no-dashboard"]);
        var primary = builder.AddExecutable(Primary, server, data.FullName, Arguments(Primary, port, data.FullName, durable));
        for (var k = 1; k <= replicas; k++)
        {
            var name = $"redis-replica-{k}";
            builder.AddExecutable(name, server, data.FullName, Arguments(name, port + k, data.FullName, durable: false, replicaOf: port))
                .WaitFor(primary);
        }

        var servers = new RedisServers(builder.Build(), data, new Uri($"redis://127.0.0.1:{Number(port)}"));
        try
        {
            await servers._host.StartAsync(cancellationToken);
            await servers.WaitForReplicasAsync(replicas, cancellationToken);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Delete(recursive: true);
    }

    /// <summary>
    /// A <c>redis-server</c>'s command line: loopback only, no RDB snapshots, the AOF only when durable, files named
    /// after the server, a replica of the server on <paramref name="replicaOf"/> when given.
    /// </summary>
    public static string[] Arguments(string name, int port, string directory, bool durable, int? replicaOf = null) =>
    [
        "--bind", "127.0.0.1", "--port", Number(port), "--dir", directory, "--dbfilename", $"{name}.rdb", "--save", "",
        "--daemonize", "no", "--loglevel", "warning",
        .. durable ? ["--appendonly", "yes", "--appendfsync", "always", "--appenddirname", $"{name}-aof"] : new[] { "--appendonly", "no" },
        .. replicaOf is { } primary ? ["--replicaof", "127.0.0.1", Number(primary)] : Array.Empty<string>(),
    ];

    /// <summary>Polls the primary's <c>INFO replication</c> until <paramref name="replicas"/> are online, watching that no server exits meanwhile.</summary>
    private async Task WaitForReplicasAsync(int replicas, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromMilliseconds(_host.Settings.HealthTimeoutMs);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var last = "no answer yet";
        for (var attempt = 0; ; attempt++)
        {
            if (_host.Runner.Processes.FirstOrDefault(p => p.State is ResourceState.Exited or ResourceState.FailedToStart) is { } ended)
            {
                throw new ResourceFailedException(ended, $"{ended.Name} exited with code {ended.ExitCode} before the replicas were online");
            }

            try
            {
                if (attempt > 0)
                {
                    await Task.Delay(PollInterval, deadline.Token);
                }

                using var connection = await RespConnection.ConnectAsync(Url, deadline.Token);
                var online = await RedisReplication.OnlineReplicasAsync(connection, deadline.Token);
                if (online >= replicas)
                {
                    return;
                }

                last = $"{online} of {replicas} replicas online";
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or InvalidDataException)
            {
                last = ex.Message;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ResourceFailedException(_host.Runner[Primary], $"{replicas} replicas were not online within {timeout.TotalSeconds:0} s (last: {last})");
            }
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
