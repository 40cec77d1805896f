using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ReplicatedLog.ServiceDefaults.Hosting;

/// <summary>
/// When the process was started by our AppHost (<c>REPLICATEDLOG_LIFELINE=stdin</c>), its standard input is a pipe
/// from the AppHost. The pipe closes when the AppHost dies, however it dies: the service then stops, so no child is
/// left running. Under any other launcher the variable is absent and this does nothing.
/// </summary>
public sealed partial class ParentLifelineService(IHostApplicationLifetime lifetime, ILogger<ParentLifelineService> logger)
    : BackgroundService
{
    public const string Variable = "REPLICATEDLOG_LIFELINE";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var closed = Task.Run(WaitForEndOfInput, CancellationToken.None);
        var stopping = Task.Delay(Timeout.Infinite, stoppingToken);
        if (await Task.WhenAny(closed, stopping).ConfigureAwait(false) == closed)
        {
            LogParentGone(logger);
            lifetime.StopApplication();
        }
    }

    private static void WaitForEndOfInput()
    {
        using var input = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (input.Read(buffer, 0, buffer.Length) > 0)
        {
            // Nothing is ever sent; only the end of the stream matters.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The AppHost that started this service is gone; stopping")]
    private static partial void LogParentGone(ILogger logger);
}
