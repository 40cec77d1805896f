using System.Net;
using System.Net.Sockets;

namespace ReplicatedLog.AppHost.Hosting.Runtime;

/// <summary>
/// Ports for nodes that must keep their address across restarts. Taken below the kernel's ephemeral range (so no
/// outgoing connection or port-0 listener gets them meanwhile), checked free on every loopback address, and never
/// handed out twice in one process (the tests' classes run in parallel). The tests and the benchmark's own cluster
/// take their ports here.
/// </summary>
public static class FreePort
{
    private const int First = 10_000;
    private const int Last = 30_000;
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> HandedOut = [];

    public static int Next() => Block(1);

    /// <summary>The first of <paramref name="count"/> consecutive free ports.</summary>
    public static int Block(int count)
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var start = Random.Shared.Next(First, Last - count);
                var ports = Enumerable.Range(start, count).ToList();
                if (ports.All(p => !HandedOut.Contains(p) && IsFree(p)))
                {
                    HandedOut.UnionWith(ports);
                    return start;
                }
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free ports between {First} and {Last}.");
    }

    private static bool IsFree(int port)
    {
        foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Any })
        {
            try
            {
                using var listener = new TcpListener(address, port);
                listener.Start();
            }
            catch (SocketException ex) when (ex.SocketErrorCode != SocketError.AddressNotAvailable)
            {
                return false;
            }
            catch (SocketException)
            {
                // No IPv6 on this machine: nothing can listen there either.
            }
        }

        return true;
    }
}
