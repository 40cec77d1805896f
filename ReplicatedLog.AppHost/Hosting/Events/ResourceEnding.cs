namespace ReplicatedLog.AppHost.Hosting.Events;

/// <summary>How a resource's last run ended: on request, and how, or on its own.</summary>
public enum ResourceEnding
{
    /// <summary>It exited after SIGTERM, within the grace period: a clean stop.</summary>
    Stopped,

    /// <summary>It was still running when the grace period after SIGTERM was over, so it got SIGKILL.</summary>
    KilledAfterGracePeriod,

    /// <summary>It got SIGKILL at once, as asked.</summary>
    Killed,

    /// <summary>Nobody asked it to exit.</summary>
    ExitedOnItsOwn,
}
