using ReplicatedLog.AppHost.Hosting.Runtime;
using ReplicatedLog.Bench.Cluster;
using ReplicatedLog.Bench.Load;
using ReplicatedLog.Bench.Options;
using ReplicatedLog.Bench.Reporting;

namespace ReplicatedLog.Bench.Targets;

/// <summary>Our master: a running one (<c>--url</c>) or the master of a cluster the benchmark starts (<see cref="BenchCluster"/>), reached over HTTP.</summary>
public sealed class ReplicatedLogTarget : IBenchTarget
{
    public const string System = "ReplicatedLog";

    private readonly BenchCluster? _cluster;
    private readonly AppendClient _client;
    private readonly BenchOptions _options;

    private ReplicatedLogTarget(BenchCluster? cluster, AppendClient client, BenchOptions options)
    {
        _cluster = cluster;
        _client = client;
        _options = options;
        Info = new TargetInfo(System, client.MessagesUrl.ToString(), options.Start ? new ClusterInfo(options.SecondaryCount, options.Durable) : null);
    }

    public TargetInfo Info { get; }

    public string Append => "POST /messages";

    /// <summary>Starts the cluster (saying so on <paramref name="status"/>) when asked, and checks that the master answers.</summary>
    public static async Task<ReplicatedLogTarget> OpenAsync(BenchOptions options, TextWriter status, CancellationToken cancellationToken)
    {
        BenchCluster? cluster = null;
        try
        {
            if (options.Start)
            {
                status.WriteLine($"Starting {Describe(new ClusterInfo(options.SecondaryCount, options.Durable))}…");
                cluster = await BenchCluster.StartAsync(options.SecondaryCount, options.Durable, cancellationToken);
            }

            var master = options.Url ?? cluster!.MasterUrl;
            var client = new AppendClient(master, options.Timeout);
            if (await client.ProbeAsync(cancellationToken) is { } unreachable)
            {
                client.Dispose();
                throw new TargetUnavailableException($"the master does not answer at {master}: {unreachable}");
            }

            return new ReplicatedLogTarget(cluster, client, options);
        }
        catch (ResourceFailedException ex)
        {
            throw new TargetUnavailableException($"the cluster did not start: {ex.Message}", ex);
        }
        catch (Exception) when (cluster is not null)
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The cluster the benchmark starts, e.g. <c>a master and 2 secondaries, in memory</c>.</summary>
    public static string Describe(ClusterInfo cluster) =>
        $"a master and {cluster.Secondaries} secondar{(cluster.Secondaries == 1 ? "y" : "ies")}, " +
        (cluster.Durable ? "logs on disk, fsync always" : "in memory");

    public Func<IAppendSender> Senders(string runId)
    {
        var bodies = new AppendBodies(_options.Size, _options.W, _options.Keys, runId, _options.WaitTimeout);
        return () => _client.Sender(bodies);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
