namespace ReplicatedLog.AppHost.Hosting.Model;

/// <summary>
/// A named place where a resource listens (<c>http</c>): its scheme and port. The port may change until the resource
/// starts; whoever references the endpoint reads it only then, through <see cref="ValueFor"/>.
/// </summary>
public sealed class Endpoint(string resource, string name, string scheme, int port)
{
    /// <summary>The resource that listens here.</summary>
    public string Resource { get; } = resource;

    public string Name { get; } = name;

    public string Scheme { get; } = scheme;

    public int Port { get; set; } = port;

    /// <summary>Where it is reached on this machine: <c>http://localhost:8001/</c>.</summary>
    public Uri Url => new($"{Scheme}://localhost:{Port}/");

    /// <summary>
    /// The endpoint as another resource's environment gives it: its URL (<c>http://localhost:8001</c>) when the model
    /// runs here, or the placeholder a deployment manifest fills in (<c>{secondary-1.bindings.http.url}</c>).
    /// </summary>
    public string ValueFor(ExecutionMode mode) =>
        mode == ExecutionMode.Run ? Url.ToString().TrimEnd('/') : $"{{{Resource}.bindings.{Name}.url}}";
}
