using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;
using ReplicatedLog.Secondary.Storage;
using ReplicatedLog.ServiceDefaults.Apis;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.ServiceDefaults.Discovery;
using ReplicatedLog.ServiceDefaults.Hosting;
using ReplicatedLog.ServiceDefaults.Http;
using ReplicatedLog.ServiceDefaults.Resilience;
using ReplicatedLog.ServiceDefaults.Security;

namespace ReplicatedLog.Secondary.Registration;

/// <summary>
/// When a master is referenced (<c>services__master__http__0</c>), registers this secondary with it once the server
/// listens, retrying until the master answers, and again whenever the master has been silent for a while, so a
/// secondary joins a running cluster and rejoins a restarted master.
/// </summary>
public sealed partial class MasterRegistrationService(
    ServiceEndpointResolver resolver,
    IServer server,
    IHostApplicationLifetime lifetime,
    MasterContact contact,
    IOptions<RegistrationOptions> options,
    IOptions<IdentityOptions> identity,
    IOptions<ClusterOptions> cluster,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<MasterRegistrationService> logger) : BackgroundService
{
    public const string MasterServiceName = "master";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var master = resolver.Resolve(MasterServiceName);
        if (master is null)
        {
            LogNoMaster(logger);
            return;
        }

        if (!await WaitForStartAsync(stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        var me = new RegisterSecondaryRequest(Name(), AdvertisedUrl());
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var pipeline = RetryPipeline.CreateUnbounded($"master registration ({master})", options.Value.Retry,
            ex => ex is HttpRequestException or System.Text.Json.JsonException, time, logger);
        var reregisterAfter = TimeSpan.FromMilliseconds(options.Value.ReregisterAfterMs);
        // Looks at the silence ten times per period, so it registers again at most a tenth of it late: a master that
        // lost its disk (and its member file) waits Replication:AdoptionWaitMs for these registrations.
        using var timer = new PeriodicTimer(reregisterAfter / 10, time);
        var registered = false;
        try
        {
            do
            {
                if (registered && contact.Silence < reregisterAfter)
                {
                    continue;
                }

                try
                {
                    var answer = await pipeline.ExecuteAsync(
                        ct => new ValueTask<RegisterSecondaryResponse>(RegisterAsync(http, master, me, ct)), stoppingToken).ConfigureAwait(false);
                    contact.Heard();
                    registered = true;
                    LogRegistered(logger, me.Name, me.Url, master, answer.LogId, answer.Secondaries);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // An answer that is not a registration (a refusal, a body that is not ours): try again next tick.
                    LogRegistrationFailed(logger, master, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a secondary that joined by registering leaves the same way.
        }

        if (registered)
        {
            await DeregisterAsync(http, master, me).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Tells the master this secondary leaves, so that w=all and quorum stop counting it. Bounded: a master that
    /// does not answer must not hold the stop up (it then keeps the secondary until an operator removes it).
    /// </summary>
    private async Task DeregisterAsync(HttpClient http, Uri master, RegisterSecondaryRequest me)
    {
        var target = new Uri(master, $"{ClusterRoutes.Secondaries}/{Uri.EscapeDataString(me.Name)}?url={Uri.EscapeDataString(me.Url)}");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(options.Value.DeregisterTimeoutMs), time);
        try
        {
            var answer = await http.DeleteAsync(target, WireJsonContext.Default.RemoveSecondaryResponse, cluster.Value.Token, deadline.Token)
                .ConfigureAwait(false);
            LogDeregistered(logger, me.Name, master, answer.Secondaries);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            LogDeregistrationFailed(logger, me.Name, master, ex.Message);
        }
    }

    private Task<RegisterSecondaryResponse> RegisterAsync(
        HttpClient http, Uri master, RegisterSecondaryRequest me, CancellationToken cancellationToken) =>
        http.PostAsync(new Uri(master, ClusterRoutes.Register), me, WireJsonContext.Default.RegisterSecondaryRequest,
            WireJsonContext.Default.RegisterSecondaryResponse, cluster.Value.Token, cancellationToken);

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private string Name() =>
        identity.Value.Name is { Length: > 0 } name ? name
        : configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } service ? service
        : $"secondary-{new Uri(AdvertisedUrl()).Port}";

    private string AdvertisedUrl()
    {
        if (identity.Value.AdvertisedUrl is { Length: > 0 } configured)
        {
            return configured;
        }

        // A wildcard listen address is no address to call back: use the machine's name instead.
        return ListenAddress.Of(server, System.Net.Dns.GetHostName())
            ?? throw new InvalidOperationException("The server listens nowhere: no address to register.");
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Left the cluster: {Name} deregistered from the master at {Master}, which has {Secondaries} secondaries now")]
    private static partial void LogDeregistered(ILogger logger, string name, Uri master, int secondaries);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not deregister {Name} from the master at {Master} ({Error}); the master counts it until it is removed (DELETE /admin/secondaries/{Name})")]
    private static partial void LogDeregistrationFailed(ILogger logger, string name, Uri master, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Registration with the master at {Master} failed; trying again later")]
    private static partial void LogRegistrationFailed(ILogger logger, Uri master, Exception exception);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "No master referenced (services:master:http:0): not registering; the master must list this secondary")]
    private static partial void LogNoMaster(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Registered as {Name} at {Url} with the master at {Master} (log {LogId}, {Secondaries} secondaries)")]
    private static partial void LogRegistered(ILogger logger, string name, string url, Uri master, string logId, int secondaries);
}
