namespace ReplicatedLog.AppHost.Hosting.Model;

/// <summary>
/// A value the topology declares once for a run and gives to resources (a secret token, say). One with a description
/// is shown to the user at start as <c>{Description}: {Value}</c>, so that a process started by hand can be given it
/// too; a secret one is masked wherever a resource's environment is shown (the dashboard).
/// </summary>
public sealed class Parameter(string name, string value, string? description, bool secret)
{
    public string Name { get; } = name;

    public string Value { get; } = value;

    /// <summary>Null for a value the user need not see (a key between the AppHost and its dashboard).</summary>
    public string? Description { get; } = description;

    public bool Secret { get; } = secret;

    /// <summary>The value when the model runs here; rendered for a deployment, a placeholder (<c>{cluster-token.value}</c>), never the secret.</summary>
    public string ValueFor(ExecutionMode mode) => mode == ExecutionMode.Run ? Value : $"{{{Name}.value}}";
}
