using System.Globalization;
using ReplicatedLog.AppHost.Hosting.Runtime;

namespace ReplicatedLog.AppHost.Hosting.Terminal;

/// <summary>
/// The console's table of resources: name, state, URL, a column per property the topology gives its resources
/// (<c>-</c> where a resource has none), process id.
/// </summary>
internal static class ResourceTable
{
    public static IEnumerable<string> Lines(IReadOnlyList<ResourceProcess> processes)
    {
        var properties = processes.SelectMany(p => p.Resource.Properties.Select(property => property.Key)).Distinct().ToList();
        string[] header = ["RESOURCE", "STATE", "URL", .. properties.Select(p => p.ToUpperInvariant()), "PID"];
        var rows = processes.Select(p => (string[])
        [
            p.Name,
            p.State.ToString(),
            p.Resource.Endpoints.FirstOrDefault()?.Url.ToString() ?? "-",
            .. properties.Select(name => p.Resource.Properties.FirstOrDefault(property => property.Key == name).Value ?? "-"),
            p.ProcessId?.ToString(CultureInfo.InvariantCulture) ?? "-",
        ]).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        return rows.Prepend(header).Select(row => string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))));
    }
}
