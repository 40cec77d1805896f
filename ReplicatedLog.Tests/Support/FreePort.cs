using System.Net;
using System.Net.Sockets;

namespace ReplicatedLog.Tests.Support;

/// <summary>A loopback port nobody listens on right now, for a node that must keep its address across restarts.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
