using ReplicatedLog.Master.Health;
using ReplicatedLog.Master.Storage;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// The secondaries the master replicates to: those configured at start and those that register at run time.
/// N, the cluster size that write concern and quorum count with, is <see cref="Count"/>. With a
/// <see cref="MemberFile"/> (a master with a data directory), the registered ones are written there before a change
/// takes effect, and <see cref="RestoreRegistered"/> brings them back at the next start: a restarted master counts
/// the same members as before it stopped. A change that cannot be written is refused (an <see cref="IOException"/>)
/// rather than kept in memory only, where a restart would forget it.
/// </summary>
public sealed class SecondaryRegistry(
    AcknowledgementBarrier barrier,
    HealthOptions health,
    Func<Uri, ISecondaryClient> connect,
    MemberFile? members = null)
{
    private readonly Lock _gate = new();
    private SecondaryPeer[] _peers = [];
    private IReadOnlyList<RegisteredMember> _saved = [];

    /// <summary>Raised once for every secondary that joins.</summary>
    public event Action<SecondaryPeer>? Added;

    /// <summary>Raised once for every secondary taken out of the cluster.</summary>
    public event Action<SecondaryPeer>? Removed;

    public IReadOnlyList<SecondaryPeer> Peers => Volatile.Read(ref _peers);

    public int Count => Volatile.Read(ref _peers).Length;

    /// <summary>
    /// Adds a secondary, or finds it by address or name: a known secondary that comes back at another address is
    /// followed there. A secondary that <paramref name="registered"/> itself is kept in the member file; one found
    /// under a configured secondary's name or address stays that configured secondary. Returns the peer and
    /// whether it is new.
    /// </summary>
    public (SecondaryPeer Peer, bool Added) AddOrUpdate(string name, Uri address, bool registered = false)
    {
        SecondaryPeer peer;
        lock (_gate)
        {
            var known = Find(name, address);
            if (known is not null)
            {
                if (known.Client.Address != address)
                {
                    Save(_peers.Select(p => ReferenceEquals(p, known) ? (p, address) : (p, p.Client.Address)));
                    known.Client.Address = address;
                    known.Kick();
                }

                return (known, false);
            }

            if (registered)
            {
                Save(_peers.Select(p => (p, p.Client.Address)), new RegisteredMember(name, address.ToString()));
            }

            peer = Join(name, address, registered);
        }

        Added?.Invoke(peer);
        return (peer, true);
    }

    /// <summary>
    /// Adds the registered secondaries the member file holds (after the configured ones: a name or address that
    /// configuration gives now is that configured secondary). Each starts Unhealthy, as every secondary does,
    /// until it answers a heartbeat.
    /// </summary>
    /// <exception cref="InvalidDataException">The member file cannot be read.</exception>
    public IReadOnlyList<SecondaryPeer> RestoreRegistered()
    {
        var restored = new List<SecondaryPeer>();
        foreach (var member in members?.Read() ?? [])
        {
            var address = new Uri(member.Url);
            SecondaryPeer peer;
            lock (_gate)
            {
                if (Find(member.Name, address) is not null)
                {
                    continue; // configured now: that secondary it is (the next change writes the file without it)
                }

                peer = Join(member.Name, address, registered: true);
                _saved = [.. _saved, member];
            }

            restored.Add(peer);
            Added?.Invoke(peer);
        }

        return restored;
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

            Save(_peers.Where(p => !ReferenceEquals(p, peer)).Select(p => (p, p.Client.Address)));
            _peers = [.. _peers.Where(p => !ReferenceEquals(p, peer))];
        }

        peer.Remove();
        Removed?.Invoke(peer);
        return peer;
    }

    /// <summary>Under the lock: a new peer, counted from now on.</summary>
    private SecondaryPeer Join(string name, Uri address, bool registered)
    {
        var peer = new SecondaryPeer(name, connect(address), barrier, health.UnhealthyAfterMisses) { Registered = registered };
        _peers = [.. _peers, peer];
        return peer;
    }

    private SecondaryPeer? Find(string name, Uri address) =>
        _peers.FirstOrDefault(p => p.Client.Address == address)
        ?? _peers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Under the lock, before the change takes effect: writes the registered members of <paramref name="peers"/>
    /// (each at the address given with it), and <paramref name="joining"/>, when they differ from what was written.
    /// </summary>
    private void Save(IEnumerable<(SecondaryPeer Peer, Uri Address)> peers, RegisteredMember? joining = null)
    {
        if (members is null)
        {
            return;
        }

        IReadOnlyList<RegisteredMember> next = [.. peers.Where(p => p.Peer.Registered).Select(p => new RegisteredMember(p.Peer.Name, p.Address.ToString()))];
        if (joining is not null)
        {
            next = [.. next, joining];
        }

        if (next.SequenceEqual(_saved))
        {
            return;
        }

        members.Write(next);
        _saved = next;
    }
}
