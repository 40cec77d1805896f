namespace ReplicatedLog.AppHost.Hosting.Model;

/// <summary>
/// A value the topology declares once for a run and gives to resources (a secret token, say), shown to the user as
/// <c>{Description}: {Value}</c> so that a process started by hand can be given it too.
/// </summary>
public sealed class Parameter(string name, string value, string description)
{
    public string Name { get; } = name;

    public string Value { get; } = value;

    public string Description { get; } = description;

    /// <summary>The value when the model runs here; rendered for a deployment, a placeholder (<c>{cluster-token.value}</c>), never the secret.</summary>
    public string ValueFor(ExecutionMode mode) => mode == ExecutionMode.Run ? Value : $"{{{Name}.value}}";
}
