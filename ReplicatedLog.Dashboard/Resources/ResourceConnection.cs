using System.Text.Json.Serialization;

namespace ReplicatedLog.Dashboard.Resources;

[JsonConverter(typeof(JsonStringEnumConverter<ResourceConnectionState>))]
public enum ResourceConnectionState
{
    /// <summary>No <c>Dashboard:ResourceServiceClient:Url</c>: there are no resources to show.</summary>
    NotConfigured,

    Connecting,

    Connected,

    /// <summary>The watch was lost; the client tries again.</summary>
    Disconnected,
}

/// <summary>How the watch of the AppHost's resource service stands.</summary>
/// <param name="Detail">Why it is not connected, when it is not.</param>
/// <param name="LinesLost">Lines of output the AppHost could not send because this dashboard read too slowly.</param>
public sealed record ResourceConnection(ResourceConnectionState State, string? Detail, long LinesLost);
