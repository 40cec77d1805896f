using Microsoft.Extensions.Options;
using ReplicatedLog.Secondary.Apis;
using ReplicatedLog.Secondary.Faults;
using ReplicatedLog.Secondary.Health;
using ReplicatedLog.Secondary.Registration;
using ReplicatedLog.Secondary.Replication;
using ReplicatedLog.Secondary.Storage;
using ReplicatedLog.ServiceDefaults;
using ReplicatedLog.ServiceDefaults.Hosting;
using ReplicatedLog.Core.Log;
using ReplicatedLog.Core.Storage;

namespace ReplicatedLog.Secondary;

/// <summary>Builds a secondary: service defaults, its replica of the log, its APIs. Program.cs and the tests call it.</summary>
public static class SecondaryApp
{
    public const string DefaultServiceName = "secondary";

    /// <param name="args">Command-line arguments (any configuration key, e.g. <c>--urls</c>).</param>
    /// <param name="configure">Lets a test add configuration or services before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceBuilder.Create(args, typeof(SecondaryApp).Assembly, DefaultServiceName, configure);
        builder.AddReplica();

        var app = builder.Build();
        // Its gauges report from the start, before the first batch or probe asks for the replica.
        app.Services.GetRequiredService<SecondaryMetrics>();
        // The master's replication stream (GET /replication/stream) is a WebSocket.
        app.UseWebSockets();
        app.MapDefaultEndpoints();
        app.MapMessagesApi();
        app.MapReplicationApi();
        app.MapAdminApi();
        return app;
    }

    private static void AddReplica(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SecondaryReplicationOptions>().BindConfiguration(SecondaryReplicationOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FaultOptions>().BindConfiguration(FaultOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName);
        services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();

        services.AddLogStore();
        services.AddSingleton(sp => new ReplicaLog(
            sp.GetRequiredService<IOptions<SecondaryReplicationOptions>>().Value.MaxHeldBack, sp.GetRequiredService<ILogStore>()));
        services.AddSingleton<IReadableLog>(sp => sp.GetRequiredService<ReplicaLog>());
        services.AddSingleton(sp => new ReplicationDelay(sp.GetRequiredService<IOptions<SecondaryReplicationOptions>>().Value.DelayMs));
        services.AddSingleton<MasterContact>();
        services.AddSingleton<Replica>();
        services.AddSingleton<SecondaryMetrics>();
        services.AddSingleton(sp => new FaultInjector(
            sp.GetRequiredService<IOptions<FaultOptions>>().Value, sp.GetRequiredService<ILogger<FaultInjector>>()));
        services.AddHostedService<MasterRegistrationService>();
        services.AddHostedService<ReplicaWarmup>();
        services.AddHealthChecks().AddCheck<SecondaryHealthCheck>("replica");
    }
}
