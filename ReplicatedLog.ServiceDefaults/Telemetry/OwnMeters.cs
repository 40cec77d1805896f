using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace ReplicatedLog.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps a service's metrics its own where several apps share a process, as a master and its secondaries do in the
/// tests: OpenTelemetry listens to meters by name in the whole process, so without this a master would also export
/// the gauges of every other master and secondary beside it. A meter another app's container made (through its
/// <see cref="IMeterFactory"/>) is left out; a meter of the process itself (HttpClient's) is kept.
/// </summary>
public static class OwnMeters
{
    /// <param name="metrics">The builder of a provider in the app's container (as <c>WithMetrics</c> gives it).</param>
    public static MeterProviderBuilder OnlyOwnMeters(this MeterProviderBuilder metrics) =>
        ((IDeferredMeterProviderBuilder)metrics).Configure((services, builder) =>
        {
            var own = services.GetRequiredService<IMeterFactory>();
            builder.AddView(instrument => instrument.Meter.Scope is IMeterFactory other && !ReferenceEquals(other, own)
                ? MetricStreamConfiguration.Drop
                : null);
        });
}
