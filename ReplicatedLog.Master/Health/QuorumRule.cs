namespace ReplicatedLog.Master.Health;

/// <summary>The majority rule: the master plus its reachable secondaries must be a majority of 1+N nodes.</summary>
public static class QuorumRule
{
    /// <summary>The number of nodes that make a majority of the master and <paramref name="secondaries"/>.</summary>
    public static int Majority(int secondaries) => ((1 + secondaries) / 2) + 1;

    /// <summary>True when the master and <paramref name="reachable"/> secondaries are a majority.</summary>
    public static bool IsMet(int reachable, int secondaries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reachable);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reachable, secondaries);
        return 1 + reachable >= Majority(secondaries);
    }
}
