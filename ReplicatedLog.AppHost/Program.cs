using ReplicatedLog.AppHost.Hosting;

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

        var settings = builder.Settings;
        if (settings.Fresh && Directory.Exists(settings.DataRoot))
        {
            Directory.Delete(settings.DataRoot, recursive: true);
        }

        Console.Out.WriteLine($"apphost | Logs are kept in {settings.DataRoot}{(settings.Fresh ? " (wiped: --fresh)" : "; --fresh starts from empty logs")}");
        await using var host = Topology(builder).Build();
        return await ConsoleRunner.RunAsync(host);
    }

    /// <summary>
    /// The cluster: N secondaries on BasePort+1.., each with its delay, and a master on BasePort that replicates to
    /// all of them and starts once they are healthy. Each keeps its log in a directory of its own.
    /// </summary>
    public static ClusterHostBuilder Topology(ClusterHostBuilder builder)
    {
        var settings = builder.Settings;

        var secondaries = settings.SecondaryNames
            .Select((name, i) => builder.AddService(name, ServiceBinaries.Secondary, settings.BasePort + i + 1)
                .WithEnvironment("Replication__DelayMs", settings.DelayOf(name))
                .WithEnvironment("Storage__Path", settings.DataDirectoryOf(name)))
            .ToList();

        builder.AddService("master", ServiceBinaries.Master, settings.BasePort)
            .WithEnvironment("Storage__Path", settings.DataDirectoryOf("master"))
            .WithReference(secondaries)
            .WaitFor(secondaries);

        return builder;
    }
}
