using System.Net.Sockets;
using ReplicatedLog.AppHost.Hosting.Runtime;
using ReplicatedLog.Bench.Load;
using ReplicatedLog.Bench.Options;
using ReplicatedLog.Bench.Redis;
using ReplicatedLog.Bench.Reporting;

namespace ReplicatedLog.Bench.Targets;

/// <summary>
/// A Redis primary, running (<c>--redis --url redis://…</c>) or started with its replicas by the benchmark
/// (<see cref="RedisServers"/>). w is read as for our master: a number of nodes, the primary included, so WAIT asks
/// for w - 1 replicas; <c>all</c> and <c>majority</c> count the replicas the primary has online when the run starts.
/// </summary>
public sealed class RedisTarget : IBenchTarget
{
    public const string System = "Redis";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private readonly RedisServers? _servers;
    private readonly RedisAppend _append;
    private readonly TimeSpan _timeout;

    private RedisTarget(RedisServers? servers, RedisAppend append, string address, TimeSpan timeout, ClusterInfo? cluster)
    {
        _servers = servers;
        _append = append;
        _timeout = timeout;
        Info = new TargetInfo(System, address, cluster);
    }

    public TargetInfo Info { get; }

    public string Append => _append.Describe();

    /// <summary>
    /// Starts Redis (saying so on <paramref name="status"/>) when asked, checks that the primary answers PING, and
    /// counts its online replicas for w.
    /// </summary>
    public static async Task<RedisTarget> OpenAsync(BenchOptions options, TextWriter status, CancellationToken cancellationToken)
    {
        var cluster = options.Start ? new ClusterInfo(options.SecondaryCount, options.Durable) : null;
        RedisServers? servers = null;
        try
        {
            if (cluster is not null)
            {
                var program = RedisServers.Find() ?? throw new TargetUnavailableException(
                    $"{RedisServers.ServerProgram} is not installed (not found on PATH): install it (e.g. apt-get install redis-server), " +
                    "or give --url redis://HOST:PORT of a running Redis.");
                status.WriteLine($"Starting {Describe(cluster)}…");
                servers = await RedisServers.StartAsync(program, cluster.Secondaries, cluster.Durable, cancellationToken);
            }

            var primary = options.Url ?? servers!.Url;
            var address = primary.GetLeftPart(UriPartial.Authority);
            var replicas = await ProbeAsync(primary, address, cancellationToken);
            var append = new RedisAppend(primary, options.Size, WaitReplicas(options.W, replicas), options.WaitTimeout);
            return new RedisTarget(servers, append, address, options.Timeout, cluster);
        }
        catch (ResourceFailedException ex)
        {
            throw new TargetUnavailableException($"Redis did not start: {ex.Message}", ex);
        }
        catch (Exception) when (servers is not null)
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>Redis the benchmark starts, e.g. <c>a Redis primary and 2 replicas, persistence off</c>.</summary>
    public static string Describe(ClusterInfo cluster) =>
        $"a Redis primary and {cluster.Secondaries} replica{(cluster.Secondaries == 1 ? "" : "s")}, " +
        (cluster.Durable ? "the primary's AOF fsynced on every write (appendfsync always)" : "persistence off");

    /// <summary>How many replicas WAIT asks for: w - 1 (none, so no WAIT, for w=1), with all and majority counted over the primary and its <paramref name="replicas"/>.</summary>
    public static int? WaitReplicas(WriteConcern w, int replicas)
    {
        var nodes = w.Nodes ?? (w == WriteConcern.All ? 1 + replicas : (1 + replicas) / 2 + 1); // the master's QuorumRule.Majority
        return nodes > 1 ? nodes - 1 : null;
    }

    public Func<IAppendSender> Senders(string runId) => () => new RedisAppendSender(_append, _timeout);

    public async ValueTask DisposeAsync()
    {
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }

    /// <summary>PING, then the online replicas from INFO replication; throws <see cref="TargetUnavailableException"/> saying why not.</summary>
    private static async Task<int> ProbeAsync(Uri primary, string address, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ProbeTimeout);
        try
        {
            using var connection = await RespConnection.ConnectAsync(primary, deadline.Token);
            var pong = await connection.CommandAsync(deadline.Token, "PING");
            if (pong is not { Kind: RespReplyKind.SimpleString, Text: "PONG" })
            {
                throw new TargetUnavailableException($"Redis at {address} answered PING with {pong}.");
            }

            return await RedisReplication.OnlineReplicasAsync(connection, deadline.Token);
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
        {
            throw new TargetUnavailableException($"Redis does not answer at {address}: {ex.Message}", ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TargetUnavailableException($"Redis does not answer at {address}: no answer within {ProbeTimeout.TotalSeconds:0} s");
        }
    }
}
