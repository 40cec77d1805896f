namespace ReplicatedLog.AppHost.Hosting.Events;

/// <summary>A resource's runtime state at one moment: what a front end shows in its row.</summary>
/// <param name="ProcessId">The child's process id, from its start on (kept after it exits).</param>
/// <param name="ExitCode">Set once it has exited.</param>
/// <param name="Ending">How its last run ended; null while it runs or before it first starts.</param>
/// <param name="StartedAt">When its current (or last) run was started.</param>
/// <param name="Restarts">How many times it was started again after its first start.</param>
/// <param name="Environment">The environment its current (or last) run was started with, secrets included.</param>
public sealed record ResourceSnapshot(
    string Resource,
    ResourceState State,
    int? ProcessId = null,
    int? ExitCode = null,
    ResourceEnding? Ending = null,
    DateTimeOffset? StartedAt = null,
    int Restarts = 0,
    IReadOnlyDictionary<string, string>? Environment = null);
