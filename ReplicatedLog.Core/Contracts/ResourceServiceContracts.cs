using System.Text.Json.Serialization;

namespace ReplicatedLog.Core.Contracts;

/// <summary>
/// The AppHost's resource service, which its dashboard reads (Aspire's shape: the AppHost gives the dashboard its URL
/// as <c>Dashboard__ResourceServiceClient__Url</c> and its key as <c>Dashboard__ResourceServiceClient__ApiKey</c>).
/// Both sides use these routes and records.
/// </summary>
public static class ResourceServiceRoutes
{
    /// <summary>The header that carries the API key, unless the service is unsecured.</summary>
    public const string ApiKeyHeader = "x-resource-service-api-key";

    /// <summary>
    /// <c>GET</c>: newline-delimited JSON (<c>application/x-ndjson</c>), one <see cref="ResourceServiceMessage"/> a
    /// line: a <see cref="ResourcesSnapshot"/> first, then each change and each line of output in the order they
    /// happened, for as long as the connection lasts.
    /// </summary>
    public const string Watch = "resources/watch";

    /// <summary>What a watch sends as its content type.</summary>
    public const string WatchContentType = "application/x-ndjson";

    /// <summary>The commands a resource takes.</summary>
    public static readonly IReadOnlyList<string> Commands = ["start", "stop", "restart", "kill", "pause", "resume"];

    /// <summary>
    /// <c>POST</c>: runs a command on a resource and answers its <see cref="ResourceView"/> after it (a start or a
    /// restart once the resource is ready); an unknown command is a 400, an unknown resource a 404, a command the
    /// resource cannot take now (pause what is not running) a 409, a start that failed a 500, each a problem.
    /// </summary>
    public const string CommandPattern = "resources/{name}/commands/{command}";

    /// <summary><see cref="CommandPattern"/> for one resource and command.</summary>
    public static string Command(string resource, string command) =>
        $"resources/{Uri.EscapeDataString(resource)}/commands/{Uri.EscapeDataString(command)}";
}

/// <summary>One resource as a front end shows it, at one moment.</summary>
/// <param name="Type"><c>Project</c> or <c>Executable</c>.</param>
/// <param name="State">NotStarted, Waiting, Starting, Running, Paused, Stopping, Exited or FailedToStart.</param>
/// <param name="Ending">How its last run ended (Stopped, KilledAfterGracePeriod, Killed, ExitedOnItsOwn); null while it runs.</param>
/// <param name="Restarts">How many times it was started again after its first start.</param>
/// <param name="Environment">The environment its current (or last) run was started with; secrets masked.</param>
/// <param name="Properties">What the topology shows beside it (e.g. <c>Delay</c>).</param>
public sealed record ResourceView(
    string Name,
    string Type,
    string State,
    int? ProcessId,
    int? ExitCode,
    string? Ending,
    DateTimeOffset? StartedAt,
    int Restarts,
    IReadOnlyList<ResourceUrl> Urls,
    IReadOnlyList<ResourceEnvironmentVariable> Environment,
    IReadOnlyList<ResourceProperty> Properties);

/// <summary>Where a resource listens: the endpoint's name (<c>http</c>, <c>otlp-http</c>) and its URL.</summary>
public sealed record ResourceUrl(string Name, string Url);

/// <summary>A variable a resource was started with; <paramref name="Value"/> is null where <paramref name="Secret"/> is true.</summary>
public sealed record ResourceEnvironmentVariable(string Name, string? Value, bool Secret);

public sealed record ResourceProperty(string Name, string Value);

/// <summary>One line of a watch.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ResourcesSnapshot), "snapshot")]
[JsonDerivedType(typeof(ResourceChanged), "change")]
[JsonDerivedType(typeof(ResourceLogLine), "output")]
[JsonDerivedType(typeof(ResourceLogLinesLost), "lost")]
public abstract record ResourceServiceMessage;

/// <summary>
/// The first line of a watch: every resource as it is now. <paramref name="RunId"/> names this run of the AppHost:
/// line numbers count from 1 again in another.
/// </summary>
public sealed record ResourcesSnapshot(string RunId, IReadOnlyList<ResourceView> Resources) : ResourceServiceMessage;

/// <summary>A resource changed (state, process id, exit): the whole resource after the change.</summary>
public sealed record ResourceChanged(ResourceView Resource) : ResourceServiceMessage;

/// <summary>
/// A line a resource's process wrote. <paramref name="Number"/> counts the resource's lines since the AppHost started,
/// so a client that watches again can tell which lines it already holds.
/// </summary>
public sealed record ResourceLogLine(string Resource, long Number, string Text) : ResourceServiceMessage;

/// <summary>The watch fell behind and this many lines of output, of any resource, were not sent here.</summary>
public sealed record ResourceLogLinesLost(long Count) : ResourceServiceMessage;

/// <summary>Source-generated JSON for the resource service.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ResourceServiceMessage))]
[JsonSerializable(typeof(ResourceView))]
[JsonSerializable(typeof(IReadOnlyList<ResourceView>))]
public sealed partial class ResourceServiceJsonContext : JsonSerializerContext;
