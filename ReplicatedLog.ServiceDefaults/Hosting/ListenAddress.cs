using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ReplicatedLog.ServiceDefaults.Hosting;

/// <summary>Where a running server can be called: its first listen address, with a wildcard host made callable.</summary>
public static class ListenAddress
{
    private static readonly string[] Wildcards = ["://+:", "://*:", "://0.0.0.0:", "://[::]:"];

    /// <summary>
    /// The server's first listen address (http first), or null before it listens. A wildcard listen address
    /// (<c>http://+:8080</c>) is no address to call: its host becomes <paramref name="host"/>.
    /// </summary>
    public static string? Of(IServer server, string host)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault();
        return address is null ? null : Wildcards.Aggregate(address, (a, w) => a.Replace(w, $"://{host}:", StringComparison.Ordinal));
    }
}
