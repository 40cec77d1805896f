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

    /// <summary>The runtime's switch that runs socket completions on the socket thread (see <see cref="PreferInlineSocketWork"/>).</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Turns on the runtime's inline socket completions (<see cref="InlineCompletionsVariable"/>) for this process,
    /// unless it is set already (<c>0</c> turns it off); <see cref="Build"/> then has Kestrel run requests inline
    /// too. A secondary's work on a batch is short, and most of it comes on one connection, the master's replication
    /// stream: handing each message to the thread pool cost more than handling it, in the wake-ups and in the pool's
    /// idle workers spinning on two cores shared by every node. Measured alternately with it off (ad-hoc runs with
    /// wrk, a master and its secondaries in memory, on this project's 2-core machine): at one client, w=3, the
    /// secondaries took 180 to 205 µs of CPU an append against 358 to 400, and the cluster did 2,620 to 2,921
    /// appends/s against 2,380 to 2,501; with 8 secondaries at 64 clients, w=majority, 50 to 56 µs against 63 to 70,
    /// and 13,090 to 14,440/s against 12,269 to 13,258. The price: anything slow on the socket thread stalls this
    /// node's other connections for as long, so a secondary's handlers do nothing that blocks (short locks; durable
    /// writes and fsyncs are the store's own thread). The master keeps the thread pool: its many client connections
    /// need it (inline there too, 16,650 to 19,450 appends/s against 21,438 to 24,109 at 64 clients, w=3, 2
    /// secondaries).
    /// Called by Program, before anything touches a socket: the runtime reads the switch once.
    /// </summary>
    public static void PreferInlineSocketWork()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }
    }

    /// <param name="args">Command-line arguments (any configuration key, e.g. <c>--urls</c>).</param>
    /// <param name="configure">Lets a test add configuration or services before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceBuilder.Create(args, typeof(SecondaryApp).Assembly, DefaultServiceName, configure);
        builder.AddReplica();
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1")
        {
            // With the runtime's inline completions (PreferInlineSocketWork): a request's work goes on where its bytes arrived.
            builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        }

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
