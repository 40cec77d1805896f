using Microsoft.Extensions.Configuration;

namespace ReplicatedLog.ServiceDefaults.Discovery;

/// <summary>
/// Resolves a referenced service to an address from configuration in the format an Aspire AppHost writes:
/// <c>services__{name}__http__0=http://host:port</c> (the <c>https</c> scheme too). A service is named either
/// plainly (<c>secondary-1</c>) or as a URL whose host is its name (<c>http://secondary-1</c>); any other
/// absolute URL is taken as it is.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    private const string Section = "services";

    /// <summary>The names of every referenced service.</summary>
    public IReadOnlyList<string> ServiceNames() =>
        configuration.GetSection(Section).GetChildren().Select(c => c.Key).ToList();

    /// <summary>The address of a service name or URL, or null when a name is not configured.</summary>
    public Uri? Resolve(string nameOrUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrUrl);
        if (Uri.TryCreate(nameOrUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return Lookup(uri.Host, uri.Scheme) is { } resolved && uri.IsDefaultPort
                ? new Uri(resolved, uri.PathAndQuery)
                : uri;
        }

        return Lookup(nameOrUrl, "http") ?? Lookup(nameOrUrl, "https");
    }

    private Uri? Lookup(string name, string scheme)
    {
        var service = configuration.GetSection(Section).GetSection(name);
        if (!service.Exists())
        {
            return null;
        }

        // Aspire writes the preferred scheme first; fall back to the other one when only it is given.
        foreach (var candidate in new[] { scheme, scheme == "http" ? "https" : "http" })
        {
            var value = service.GetSection(candidate).GetChildren().OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => c.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
            if (value is not null && Uri.TryCreate(value, UriKind.Absolute, out var address))
            {
                return address;
            }
        }

        return null;
    }
}
