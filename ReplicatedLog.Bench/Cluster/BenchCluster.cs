using System.Globalization;
using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Runtime;

namespace ReplicatedLog.Bench.Cluster;

/// <summary>
/// A cluster of the benchmark's own: the AppHost's topology (<see cref="AppHost.Program.Topology"/>) run as real
/// processes by its runner, on a free block of ports, without a dashboard or delays, logging at Warning. In memory,
/// or with <c>durable</c> each node's log on disk in a temporary directory, fsynced before it acknowledges. Disposing
/// it stops the processes (master first) and deletes the directory.
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private readonly ClusterHost _host;
    private readonly DirectoryInfo _data;

    private BenchCluster(ClusterHost host, DirectoryInfo data)
    {
        _host = host;
        _data = data;
    }

    public Uri MasterUrl => _host.Runner["master"].Url;

    /// <summary>Starts the secondaries, then the master, each once healthy; throws <see cref="ResourceFailedException"/> with the last lines of one that failed.</summary>
    public static async Task<BenchCluster> StartAsync(int secondaries, bool durable, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("replicatedlog-bench-cluster-");
        var args = new List<string>
        {
            "--secondaries", secondaries.ToString(CultureInfo.InvariantCulture),
            "--base-port", FreePort.Block(secondaries + 1).ToString(CultureInfo.InvariantCulture),
            "--no-dashboard", $"--AppHost:DataDirectory={data.FullName}",
        };
        for (var k = 1; k <= secondaries; k++)
        {
            args.AddRange(["--delay", $"secondary-{k}=0"]);
        }

        var builder = AppHost.Program.Topology(ClusterHostBuilder.Create([.. args]));
        foreach (var node in builder.Resources)
        {
            node.WithEnvironment("Logging__LogLevel__Default", "Warning");
            if (durable)
            {
                node.WithEnvironment("Storage__Fsync", "Always");
            }
            else
            {
                node.WithEnvironment(context => context.Variables.Remove("Storage__Path"));
            }
        }

        var cluster = new BenchCluster(builder.Build(), data);
        try
        {
            await cluster._host.StartAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Delete(recursive: true);
    }
}
