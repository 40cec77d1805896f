namespace ReplicatedLog.AppHost.Hosting.Model;

/// <summary>What the model is evaluated for: run here as processes, or rendered for a deployment.</summary>
public enum ExecutionMode
{
    /// <summary>The resources run on this machine: a reference is the URL the other resource listens on now.</summary>
    Run,

    /// <summary>The model is written out for somewhere else: a reference is a placeholder that the deployment fills in.</summary>
    Publish,
}
