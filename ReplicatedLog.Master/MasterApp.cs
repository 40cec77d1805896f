using Microsoft.Extensions.Options;
using ReplicatedLog.Master.Apis;
using ReplicatedLog.Master.Health;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Master.Storage;
using ReplicatedLog.Master.Transport;
using ReplicatedLog.ServiceDefaults;
using ReplicatedLog.ServiceDefaults.Hosting;
using ReplicatedLog.ServiceDefaults.Discovery;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;
using ReplicatedLog.ServiceDefaults.Security;

namespace ReplicatedLog.Master;

/// <summary>Builds the master: service defaults, the replication core, its APIs. Program.cs and the tests call it.</summary>
public static partial class MasterApp
{
    public const string DefaultServiceName = "master";

    /// <param name="args">Command-line arguments (any configuration key, e.g. <c>--urls</c>).</param>
    /// <param name="configure">Lets a test add configuration or services before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceBuilder.Create(args, typeof(MasterApp).Assembly, DefaultServiceName, configure);
        builder.AddReplicationCore();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapMessagesApi();
        app.MapRegistrationApi();
        app.MapMembershipApi();
        return app;
    }

    private static void AddReplicationCore(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReplicationOptions>().BindConfiguration(ReplicationOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => WriteConcern.TryParse(o.DefaultWriteConcern, out _),
                "Replication:DefaultWriteConcern must be a whole number of at least 1, \"majority\" or \"all\".")
            .ValidateOnStart();
        services.AddOptions<LogOptions>().BindConfiguration(LogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QuorumOptions>().BindConfiguration(QuorumOptions.SectionName);

        services.AddLogStore();
        // On disk, an empty data directory means a lost disk as much as a new cluster: ask the secondaries first.
        services.AddSingleton(sp => new MasterLog(sp.GetRequiredService<AcknowledgementBarrier>(), sp.GetRequiredService<ILogStore>(),
            adoptWhenEmpty: sp.GetRequiredService<IOptions<StorageOptions>>().Value.Path is { Length: > 0 }));
        services.AddSingleton(sp => new LogAdoption(
            sp.GetRequiredService<MasterLog>(),
            sp.GetRequiredService<SecondaryRegistry>(),
            sp.GetRequiredService<IOptions<HealthOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LogAdoption>>(),
            TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<ReplicationOptions>>().Value.AdoptionWaitMs)));
        services.AddSingleton<IReadableLog>(sp => sp.GetRequiredService<MasterLog>());
        services.AddSingleton<AcknowledgementBarrier>();
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        });
        services.AddSingleton(sp =>
        {
            var http = sp.GetRequiredService<HttpClient>();
            var token = sp.GetRequiredService<IOptions<ClusterOptions>>().Value.Token;
            // With a data directory, the secondaries that registered are kept there: a restarted master counts them at once.
            var members = sp.GetRequiredService<IOptions<StorageOptions>>().Value.Path is { Length: > 0 } path ? new MemberFile(path) : null;
            var registry = new SecondaryRegistry(
                sp.GetRequiredService<AcknowledgementBarrier>(),
                sp.GetRequiredService<IOptions<HealthOptions>>().Value,
                address => new HttpSecondaryClient(http, address, token, sp.GetRequiredService<IOptions<ReplicationOptions>>().Value.Stream),
                members);
            foreach (var (name, address) in ConfiguredSecondaries.Read(
                sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ServiceEndpointResolver>()))
            {
                registry.AddOrUpdate(name, address);
            }

            if (registry.RestoreRegistered() is { Count: > 0 } restored)
            {
                LogRestored(sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MasterApp)), restored.Count,
                    string.Join(", ", restored.Select(p => $"{p.Name} at {p.Client.Address}")), members!.Path);
            }

            return registry;
        });
        services.AddSingleton(sp => new WriteGate(
            sp.GetRequiredService<SecondaryRegistry>(),
            sp.GetRequiredService<IOptions<QuorumOptions>>().Value,
            sp.GetRequiredService<ILogger<WriteGate>>(),
            sp.GetRequiredService<LogAdoption>()));
        services.AddSingleton<AppendTraces>();
        services.AddSingleton<MasterMetrics>();
        services.AddSingleton<Appender>();
        services.AddHostedService<ReplicationService>();
        services.AddHostedService<AppendPathWarmup>();
        services.AddHealthChecks().AddCheck<MasterHealthCheck>("replication");
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Knows {Count} registered secondaries from before its restart ({Members}, kept in {Path}); each counts from now on and is Unhealthy until it answers")]
    private static partial void LogRestored(ILogger logger, int count, string members, string path);
}
