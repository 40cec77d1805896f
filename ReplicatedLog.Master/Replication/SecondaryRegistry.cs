using ReplicatedLog.Master.Health;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// The secondaries the master replicates to: those configured at start and those that register at run time.
/// N, the cluster size that write concern and quorum count with, is <see cref="Count"/>.
/// </summary>
public sealed class SecondaryRegistry(
    AcknowledgementBarrier barrier,
    HealthOptions health,
    Func<Uri, ISecondaryClient> connect)
{
    private readonly Lock _gate = new();
    private SecondaryPeer[] _peers = [];

    /// <summary>Raised once for every secondary that joins.</summary>
    public event Action<SecondaryPeer>? Added;

    /// <summary>Raised once for every secondary taken out of the cluster.</summary>
    public event Action<SecondaryPeer>? Removed;

    public IReadOnlyList<SecondaryPeer> Peers => Volatile.Read(ref _peers);

    public int Count => Volatile.Read(ref _peers).Length;

    /// <summary>
    /// Adds a secondary, or finds it by address or name: a known secondary that comes back at another address is
    /// followed there. Returns the peer and whether it is new.
    /// </summary>
    public (SecondaryPeer Peer, bool Added) AddOrUpdate(string name, Uri address)
    {
        SecondaryPeer peer;
        lock (_gate)
        {
            var known = _peers.FirstOrDefault(p => p.Client.Address == address)
                ?? _peers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (known is not null)
            {
                if (known.Client.Address != address)
                {
                    known.Client.Address = address;
                    known.Kick();
                }

                return (known, false);
            }

            peer = new SecondaryPeer(name, connect(address), barrier, health.UnhealthyAfterMisses);
            _peers = [.. _peers, peer];
        }

        Added?.Invoke(peer);
        return (peer, true);
    }

    /// <summary>
    /// Takes the secondary named <paramref name="name"/> out of the cluster: its loops end, it no longer counts
    /// toward write concern or quorum, and N shrinks. With <paramref name="address"/>, only if it is still there
    /// (a secondary leaving must not remove another that took its name). Returns the peer removed, or null.
    /// </summary>
    public SecondaryPeer? Remove(string name, Uri? address = null)
    {
        SecondaryPeer? peer;
        lock (_gate)
        {
            peer = _peers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)
                && (address is null || p.Client.Address == address));
            if (peer is null)
            {
                return null;
            }

            _peers = [.. _peers.Where(p => !ReferenceEquals(p, peer))];
        }

        peer.Remove();
        Removed?.Invoke(peer);
        return peer;
    }
}
