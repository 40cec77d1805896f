using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Dashboard.Resources;

/// <summary>A line of a resource's output and its number among the resource's lines (since the AppHost started).</summary>
public sealed record ConsoleLine(long Number, string Text);

/// <summary><c>GET /api/resources</c>: how the watch of the AppHost stands, and every resource as last seen.</summary>
public sealed record ResourceList(ResourceConnection Connection, IReadOnlyList<ResourceView> Resources);

/// <summary><c>GET /api/resources/{name}/console</c>: the lines held, oldest first, and how many are kept at most.</summary>
public sealed record ResourceConsole(string Resource, int MaxLines, IReadOnlyList<ConsoleLine> Lines);
