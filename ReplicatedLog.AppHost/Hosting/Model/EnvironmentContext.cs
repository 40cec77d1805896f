namespace ReplicatedLog.AppHost.Hosting.Model;

/// <summary>What an environment callback gets when a resource's environment is evaluated: for which resource, in which mode, and the variables to set.</summary>
public sealed class EnvironmentContext(ServiceResource resource, ExecutionMode mode)
{
    public ServiceResource Resource { get; } = resource;

    public ExecutionMode Mode { get; } = mode;

    /// <summary>The variables so far; a later callback overrides an earlier one.</summary>
    public IDictionary<string, string> Variables { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
