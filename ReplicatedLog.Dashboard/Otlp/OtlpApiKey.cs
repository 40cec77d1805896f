using System.Security.Cryptography;
using System.Text;

namespace ReplicatedLog.Dashboard.Otlp;

/// <summary>Whether an OTLP call may send telemetry: always when unsecured, else with the primary or secondary key.</summary>
public sealed class OtlpApiKey(OtlpOptions options)
{
    public bool IsRequired => options.EffectiveAuthMode == OtlpAuthMode.ApiKey;

    public bool Allows(string? presented) =>
        !IsRequired || Matches(presented, options.PrimaryApiKey) || Matches(presented, options.SecondaryApiKey);

    public string Refusal => $"OTLP calls to this dashboard need the '{OtlpOptions.ApiKeyHeader}' header with its API key " +
        $"(OTEL_EXPORTER_OTLP_HEADERS={OtlpOptions.ApiKeyHeader}=<key>; the dashboard's key is Dashboard:Otlp:PrimaryApiKey).";

    private static bool Matches(string? presented, string? key) =>
        !string.IsNullOrEmpty(presented) && !string.IsNullOrEmpty(key)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));
}
