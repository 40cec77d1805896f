namespace ReplicatedLog.AppHost.Hosting.Events;

/// <summary>A resource's runtime state at one moment: what a front end shows in its row.</summary>
/// <param name="ProcessId">The child's process id, from its start on (kept after it exits).</param>
/// <param name="ExitCode">Set once it has exited.</param>
/// <param name="Ending">How its last run ended; null while it runs or before it first starts.</param>
public sealed record ResourceSnapshot(
    string Resource, ResourceState State, int? ProcessId = null, int? ExitCode = null, ResourceEnding? Ending = null);
