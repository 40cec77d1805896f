namespace ReplicatedLog.Master.Health;

/// <summary>Section <c>Quorum</c> of the master.</summary>
public sealed class QuorumOptions
{
    public const string SectionName = "Quorum";

    /// <summary>When on, the master refuses appends (503) while fewer than a majority of nodes are up.</summary>
    public bool Enabled { get; set; } = true;
}
