using System.ComponentModel.DataAnnotations;

namespace ReplicatedLog.Dashboard.Resources;

public enum ResourceServiceAuthMode
{
    /// <summary>Calls carry the key in <c>x-resource-service-api-key</c>.</summary>
    ApiKey,

    Unsecured,
}

/// <summary>
/// Section <c>Dashboard:ResourceServiceClient</c>: where the AppHost's resource service is and how to call it, the
/// names Aspire's AppHost gives its dashboard (<c>Dashboard__ResourceServiceClient__Url</c>, <c>__AuthMode</c>,
/// <c>__ApiKey</c>). Without a URL the dashboard shows telemetry and no resources.
/// </summary>
public sealed class ResourceServiceClientOptions
{
    public const string SectionName = "Dashboard:ResourceServiceClient";

    public Uri? Url { get; set; }

    /// <summary>Default: ApiKey when a key is set, Unsecured when none is.</summary>
    public ResourceServiceAuthMode? AuthMode { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The first wait before watching again after the connection is lost; it doubles up to <see cref="ReconnectMaxDelayMs"/>.</summary>
    [Range(1, 600_000)]
    public int ReconnectMinDelayMs { get; set; } = 500;

    [Range(1, 600_000)]
    public int ReconnectMaxDelayMs { get; set; } = 10_000;

    /// <summary>How long a command may take (a start or restart waits until the resource is ready).</summary>
    [Range(1, 3_600_000)]
    public int CommandTimeoutMs { get; set; } = 120_000;

    internal string? KeyToSend => (AuthMode ?? (string.IsNullOrEmpty(ApiKey) ? ResourceServiceAuthMode.Unsecured : ResourceServiceAuthMode.ApiKey))
        == ResourceServiceAuthMode.ApiKey ? ApiKey : null;
}
