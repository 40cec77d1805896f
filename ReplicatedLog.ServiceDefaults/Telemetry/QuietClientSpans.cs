using System.Diagnostics;
using OpenTelemetry;

namespace ReplicatedLog.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps this service's calls to <see cref="QuietRoutes"/> (the master's heartbeats) out of the export: an HTTP
/// client span names its URL only once it ends, so it is dropped then, before the exporter sees it.
/// </summary>
public sealed class QuietClientSpans : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Kind == ActivityKind.Client && data.GetTagItem("url.full") is string url
            && Uri.TryCreate(url, UriKind.Absolute, out var uri) && QuietRoutes.IsQuiet(uri.AbsolutePath))
        {
            RequestSpans.Unrecord(data);
        }
    }
}
