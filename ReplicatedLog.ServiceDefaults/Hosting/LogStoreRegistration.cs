using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplicatedLog.Core.Storage;

namespace ReplicatedLog.ServiceDefaults.Hosting;

/// <summary>
/// The node's log store, from section <c>Storage</c>: in memory without <c>Storage:Path</c>, in segment files in
/// that directory with it. Opened (and recovered) once, when first needed; what recovery found is logged at start,
/// and the store is flushed and closed with the service. A store registered before (a test's) is kept.
/// </summary>
public static partial class LogStoreRegistration
{
    public static IServiceCollection AddLogStore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => LogStores.Open(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddHostedService<StoreReport>();
        return services;
    }

    /// <summary>Says once, at start, where the log is kept and what recovery did.</summary>
    private sealed partial class StoreReport(ILogStore store, IOptions<StorageOptions> options, ILogger<StoreReport> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            switch (store)
            {
                case FileLogStore file when file.Recovery is { Damage: { } damage } report:
                    LogRecoveredDamage(logger, options.Value.Path!, report.LastIndex, damage, report.BytesCut, report.SegmentsDropped);
                    break;
                case FileLogStore file:
                    LogRecovered(logger, options.Value.Path!, file.Recovery.LastIndex, file.Recovery.Segments, options.Value.Fsync);
                    break;
                default:
                    LogInMemory(logger);
                    break;
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "The log is kept in memory (set Storage__Path to keep it on disk)")]
        private static partial void LogInMemory(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information,
            Message = "The log is kept in {Path}: recovered up to index {LastIndex} from {Segments} segments; fsync {Fsync}")]
        private static partial void LogRecovered(ILogger logger, string path, long lastIndex, int segments, FsyncMode fsync);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "The log is kept in {Path}: recovered up to index {LastIndex}; {Damage}: cut {BytesCut} bytes and dropped {SegmentsDropped} segments after it")]
        private static partial void LogRecoveredDamage(ILogger logger, string path, long lastIndex, string damage, long bytesCut, int segmentsDropped);
    }
}
