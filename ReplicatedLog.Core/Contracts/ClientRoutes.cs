namespace ReplicatedLog.Core.Contracts;

/// <summary>Where clients append: the master takes appends there, a secondary refuses them there (405).</summary>
public static class ClientRoutes
{
    /// <summary>The canonical append route.</summary>
    public const string AppendPath = "/messages";

    /// <summary>Where the course's client scripts post their appends: the same route under other paths.</summary>
    public static readonly IReadOnlyList<string> CourseAppendPaths = ["/", "/message"];
}
