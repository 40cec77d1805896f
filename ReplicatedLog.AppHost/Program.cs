using System.Security.Cryptography;
using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Dashboard;
using ReplicatedLog.AppHost.Hosting.Model;
using ReplicatedLog.AppHost.Hosting.Publishing;
using ReplicatedLog.AppHost.Hosting.Terminal;

namespace ReplicatedLog.AppHost;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ClusterHostBuilder builder;
        try
        {
            builder = ClusterHostBuilder.Create(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"apphost | {ex.Message}");
            return 2;
        }

        var settings = Model(builder).Settings;
        if (settings.Publisher is not null)
        {
            return Publishers.Publish(builder, Console.Out);
        }

        if (settings.Fresh && Directory.Exists(settings.DataRoot))
        {
            Directory.Delete(settings.DataRoot, recursive: true);
        }

        Console.Out.WriteLine($"apphost | Logs are kept in {settings.DataRoot}{(settings.Fresh ? " (wiped: --fresh)" : "; --fresh starts from empty logs")}");
        await using var host = builder.Build();
        return await new ConsoleRunner(host).RunAsync();
    }

    /// <summary>The dashboard, when it is enabled, and the <see cref="Topology"/>: what runs, and what a publisher writes out.</summary>
    public static ClusterHostBuilder Model(ClusterHostBuilder builder)
    {
        if (builder.Settings.Dashboard.Enabled)
        {
            builder.AddDashboard();
        }

        return Topology(builder);
    }

    /// <summary>
    /// The cluster: N secondaries on BasePort+1.., each with its delay, and a master on BasePort that replicates to
    /// all of them and starts once they are healthy. Each keeps its log in a directory of its own (deployed, a volume of
    /// its own), and all of them share a token made fresh for the run.
    /// </summary>
    public static ClusterHostBuilder Topology(ClusterHostBuilder builder)
    {
        var settings = builder.Settings;
        var token = builder.AddParameter("cluster-token", RandomNumberGenerator.GetHexString(48, lowercase: true),
            "Cluster token for this run (a node you start by hand needs it as Cluster__Token)", secret: true);

        var secondaries = settings.SecondaryNames
            .Select((name, i) => Node(name, ServiceBinaries.Secondary, settings.BasePort + i + 1)
                .WithEnvironment("Replication__DelayMs", settings.DelayOf(name))
                .WithProperty("Delay", $"{settings.DelayOf(name)} ms"))
            .ToList();

        var master = Node("master", ServiceBinaries.Master, settings.BasePort)
            .WithReference(secondaries)
            .WaitFor(secondaries);

        // The dashboard's Cluster page reads the master (services__master__http__0) and the secondaries' admin routes.
        builder.Resources.FirstOrDefault(r => r.Name == DashboardResource.ResourceName)?
            .WithReference(master)
            .WithEnvironment("Cluster__Token", token);

        return builder;

        ServiceResource Node(string name, string project, int port) => builder.AddProject(name, project)
            .WithHttpEndpoint(port, isExternal: true)
            .WithHttpHealthCheck("/health")
            .WithEnvironment("Cluster__Token", token)
            .WithDataVolume("Storage__Path", settings.DataDirectoryOf(name));
    }
}
