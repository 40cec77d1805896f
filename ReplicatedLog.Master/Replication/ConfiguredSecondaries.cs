using Microsoft.Extensions.Configuration;
using ReplicatedLog.ServiceDefaults.Discovery;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// The secondaries named in configuration: <c>Replication:Secondaries</c> (a list, or one comma-separated string, of
/// service names or URLs) or, when that is absent, every referenced service whose name starts with
/// <c>secondary</c> (<c>services__secondary-1__http__0</c>, as an Aspire AppHost gives them).
/// </summary>
public static class ConfiguredSecondaries
{
    public static IReadOnlyList<(string Name, Uri Address)> Read(IConfiguration configuration, ServiceEndpointResolver resolver)
    {
        var section = configuration.GetSection($"{ReplicationOptions.SectionName}:{nameof(ReplicationOptions.Secondaries)}");
        var listed = section.GetChildren().Select(c => c.Value).ToList();
        if (listed.Count == 0 && section.Value is not null)
        {
            listed = [.. section.Value.Split(',')];
        }

        var names = section.Exists()
            ? listed.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList()
            : resolver.ServiceNames().Where(n => n.StartsWith("secondary", StringComparison.OrdinalIgnoreCase)).ToList();

        var result = new List<(string, Uri)>();
        foreach (var name in names)
        {
            var address = resolver.Resolve(name) ?? throw new InvalidOperationException(
                $"Replication:Secondaries names '{name}', but no services:{name}:http:0 gives its address. Give a URL or reference the service.");
            // A URL is named by its service (http://secondary-1) or, for a plain address, by host and port.
            var display = !Uri.TryCreate(name, UriKind.Absolute, out var url) ? name
                : resolver.ServiceNames().Contains(url.Host, StringComparer.OrdinalIgnoreCase) ? url.Host
                : url.Authority;
            result.Add((display, address));
        }

        return result;
    }
}
