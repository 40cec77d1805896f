namespace ReplicatedLog.AppHost.Hosting.Model;

/// <summary>
/// A named place where a resource listens (<c>http</c>): its scheme and port. The port may change until the resource
/// starts; whoever references the endpoint reads it only then, through <see cref="ValueFor"/>. Deployed, the resource
/// listens on <see cref="TargetPort"/> inside its container and <see cref="Port"/> is where the host publishes it, if it
/// is <see cref="IsExternal"/>.
/// </summary>
public sealed class Endpoint(string resource, string name, string scheme, int port, int targetPort = Endpoint.AspNetCoreContainerPort, bool isExternal = false)
{
    /// <summary>What an ASP.NET Core container image listens on unless told otherwise (its <c>ASPNETCORE_HTTP_PORTS</c>).</summary>
    public const int AspNetCoreContainerPort = 8080;

    /// <summary>The resource that listens here.</summary>
    public string Resource { get; } = resource;

    public string Name { get; } = name;

    public string Scheme { get; } = scheme;

    public int Port { get; set; } = port;

    /// <summary>The port the resource listens on when deployed, inside its container.</summary>
    public int TargetPort { get; } = targetPort;

    /// <summary>Reached from outside the deployment (published on the host), not only by the other resources.</summary>
    public bool IsExternal { get; } = isExternal;

    /// <summary>Where it is reached on this machine: <c>http://localhost:8001/</c>.</summary>
    public Uri Url => new($"{Scheme}://localhost:{Port}/");

    /// <summary>
    /// The endpoint as another resource's environment gives it: its URL (<c>http://localhost:8001</c>) when the model
    /// runs here, or the placeholder a deployment manifest fills in (<c>{secondary-1.bindings.http.url}</c>).
    /// </summary>
    public string ValueFor(ExecutionMode mode) =>
        mode == ExecutionMode.Run ? Url.ToString().TrimEnd('/') : $"{{{Resource}.bindings.{Name}.url}}";

    /// <summary>
    /// The address the resource itself listens on: its URL when the model runs here, any address on its target port
    /// when deployed (<c>http://+:{dashboard.bindings.http.targetPort}</c>).
    /// </summary>
    public string ListenAddressFor(ExecutionMode mode) =>
        mode == ExecutionMode.Run ? ValueFor(mode) : $"{Scheme}://+:{{{Resource}.bindings.{Name}.targetPort}}";
}
