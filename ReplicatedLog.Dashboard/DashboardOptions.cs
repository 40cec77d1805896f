using System.ComponentModel.DataAnnotations;

namespace ReplicatedLog.Dashboard;

/// <summary>Section <c>Dashboard</c>: the names Aspire's dashboard reads (<c>Dashboard__Otlp__PrimaryApiKey</c>, ...).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    public OtlpOptions Otlp { get; set; } = new();

    public FrontendOptions Frontend { get; set; } = new();

    public TelemetryLimits TelemetryLimits { get; set; } = new();
}

public enum OtlpAuthMode
{
    /// <summary>Every OTLP call must carry <c>x-otlp-api-key</c> with the primary or the secondary key.</summary>
    ApiKey,

    /// <summary>Anyone who reaches the OTLP endpoints may send telemetry.</summary>
    Unsecured,
}

public sealed class OtlpOptions
{
    /// <summary>The header an OTLP exporter sends the key in (<c>OTEL_EXPORTER_OTLP_HEADERS=x-otlp-api-key=...</c>).</summary>
    public const string ApiKeyHeader = "x-otlp-api-key";

    /// <summary>Default: ApiKey when a key is set, Unsecured when none is.</summary>
    public OtlpAuthMode? AuthMode { get; set; }

    public string? PrimaryApiKey { get; set; }

    public string? SecondaryApiKey { get; set; }

    internal OtlpAuthMode EffectiveAuthMode =>
        AuthMode ?? (string.IsNullOrEmpty(PrimaryApiKey) ? OtlpAuthMode.Unsecured : OtlpAuthMode.ApiKey);
}

public sealed class FrontendOptions
{
    public string? BrowserToken { get; set; }
}

/// <summary>
/// How much telemetry the dashboard keeps, in memory. Past a bound the oldest goes first. Every bound is per resource
/// (a service instance: <c>service.name</c> and <c>service.instance.id</c>), so a chatty service cannot push out
/// another's telemetry; the number of resources is bounded too.
/// </summary>
public sealed class TelemetryLimits
{
    /// <summary>Log records kept per resource.</summary>
    [Range(1, 10_000_000)]
    public int MaxLogCount { get; set; } = 10_000;

    /// <summary>Spans kept per resource (a trace is the spans of all resources that share its id).</summary>
    [Range(1, 10_000_000)]
    public int MaxSpanCount { get; set; } = 10_000;

    /// <summary>Instruments (meter and name) kept per resource.</summary>
    [Range(1, 100_000)]
    public int MaxInstrumentCount { get; set; } = 500;

    /// <summary>Data points kept per instrument (each export of a metric adds one per attribute set).</summary>
    [Range(1, 1_000_000)]
    public int MaxMetricPointCount { get; set; } = 1_000;

    /// <summary>Resources kept; telemetry of more is refused (counted as rejected in the OTLP answer).</summary>
    [Range(1, 10_000)]
    public int MaxResourceCount { get; set; } = 100;

    /// <summary>Attributes kept per span, event, link, log record or data point.</summary>
    [Range(1, 10_000)]
    public int MaxAttributeCount { get; set; } = 128;

    /// <summary>Characters kept of an attribute value or a log message.</summary>
    [Range(16, 1_000_000)]
    public int MaxAttributeLength { get; set; } = 4_096;
}
