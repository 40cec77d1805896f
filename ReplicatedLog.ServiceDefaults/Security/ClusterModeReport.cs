using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReplicatedLog.ServiceDefaults.Security;

/// <summary>
/// Says once, at start, how the cluster routes are guarded. Protected mode is a Warning: it is safe, but it is
/// also why a node on another host gets 403, and this line is where an operator finds the fix.
/// </summary>
public sealed partial class ClusterModeReport(IOptions<ClusterOptions> options, ILogger<ClusterModeReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.Token))
        {
            LogProtectedMode(logger);
        }
        else
        {
            LogTokenMode(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster routes need the cluster token")]
    private static partial void LogTokenMode(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Protected mode: no Cluster__Token, cluster routes answer loopback callers only (set Cluster__Token on every node to call them from other hosts)")]
    private static partial void LogProtectedMode(ILogger logger);
}
