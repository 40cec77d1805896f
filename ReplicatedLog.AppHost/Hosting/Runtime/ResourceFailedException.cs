namespace ReplicatedLog.AppHost.Hosting.Runtime;

/// <summary>A resource could not be started; carries its last lines of output.</summary>
public sealed class ResourceFailedException(ResourceProcess resource, string message)
    : Exception($"{message}{Environment.NewLine}Last output of {resource.Name}:{Environment.NewLine}{string.Join(Environment.NewLine, resource.Output.TakeLast(20))}")
{
    public ResourceProcess Resource { get; } = resource;
}
