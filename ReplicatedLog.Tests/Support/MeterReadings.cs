using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// Listens to the instruments of one app's meters (those its <see cref="IMeterFactory"/> made, so apps running side
/// by side in the test process do not mix) and keeps what they measured: every measurement of the counters and
/// histograms, and the latest value of each series of the observable instruments, read on <see cref="Read"/>.
/// </summary>
public sealed class MeterReadings : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly List<Reading> _recorded = [];
    private readonly Dictionary<(string Instrument, string Tags), Reading> _observed = [];

    public MeterReadings(WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name.StartsWith("replicatedlog.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Keep(i, value, tags));
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Keep(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Keep(i, value, tags));
        _listener.Start();
    }

    /// <summary>Every measurement of <paramref name="instrument"/> recorded so far (counters and histograms).</summary>
    public IReadOnlyList<Reading> Recorded(string instrument)
    {
        lock (_lock)
        {
            return [.. _recorded.Where(r => r.Instrument == instrument)];
        }
    }

    /// <summary>Reads the observable instruments now: the value of <paramref name="instrument"/> with the tag given, or null.</summary>
    public double? Read(string instrument, string? tag = null, string? value = null)
    {
        _listener.RecordObservableInstruments();
        lock (_lock)
        {
            var found = _observed.Values.Where(r => r.Instrument == instrument && (tag is null || r.Tag(tag) == value)).ToList();
            return found.Count == 1 ? found[0].Value : null;
        }
    }

    /// <summary>What the observable instruments read last, for a failure message.</summary>
    public string Describe()
    {
        lock (_lock)
        {
            return string.Join("; ", _observed.Values.OrderBy(r => r.Instrument).Select(r => r.ToString()));
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var reading = new Reading(instrument.Name, value, [.. tags.ToArray().Select(t => KeyValuePair.Create(t.Key, $"{t.Value}"))]);
        lock (_lock)
        {
            if (instrument.IsObservable)
            {
                _observed[(reading.Instrument, string.Join(",", reading.Tags))] = reading;
            }
            else
            {
                _recorded.Add(reading);
            }
        }
    }
}

/// <summary>One measurement: the instrument, the value and its tags (as text).</summary>
public sealed record Reading(string Instrument, double Value, IReadOnlyList<KeyValuePair<string, string>> Tags)
{
    public string? Tag(string key) => Tags.FirstOrDefault(t => t.Key == key).Value;

    public override string ToString() => $"{Instrument}{{{string.Join(",", Tags.Select(t => $"{t.Key}={t.Value}"))}}}={Value}";
}
