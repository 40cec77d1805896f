using ReplicatedLog.Master.Replication;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>How a registration finds, follows or adds a secondary.</summary>
public sealed class SecondaryRegistryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly Uri First = new("http://10.0.0.1:5001/");
    private static readonly Uri Second = new("http://10.0.0.2:5001/");
    private readonly SecondaryRegistry _registry = ScriptedRegistry.Create(new ManualTimeProvider());
    private readonly List<SecondaryPeer> _announced = [];

    public SecondaryRegistryTests() => _registry.Added += _announced.Add;

    [Fact]
    public void ANewNameIsAddedAndAnnouncedOnce()
    {
        var (first, firstAdded) = _registry.AddOrUpdate("secondary-1", First);
        var (second, secondAdded) = _registry.AddOrUpdate("secondary-2", Second);

        Assert.True(firstAdded);
        Assert.True(secondAdded);
        Assert.Equal(("secondary-1", First), (first.Name, first.Client.Address));
        Assert.Equal(("secondary-2", Second), (second.Name, second.Client.Address));
        Assert.Equal([first, second], _registry.Peers);
        Assert.Equal([first, second], _announced);
    }

    [Fact]
    public async Task AKnownNameAtANewAddressIsFollowedThereAndItsReplicationKicked()
    {
        var peer = _registry.AddOrUpdate("secondary-1", First).Peer;
        Assert.False(peer.WhenKicked.IsCompleted);

        AssertFound(peer, _registry.AddOrUpdate("secondary-1", Second));

        Assert.Equal(Second, peer.Client.Address);
        await peer.WhenKicked.WaitAsync(Deadline);
    }

    [Fact]
    public async Task NamesCompareIgnoringCase()
    {
        var peer = _registry.AddOrUpdate("Secondary-1", First).Peer;

        AssertFound(peer, _registry.AddOrUpdate("SECONDARY-1", Second));

        Assert.Equal(Second, peer.Client.Address);
        await peer.WhenKicked.WaitAsync(Deadline);
    }

    [Fact]
    public void AKnownAddressUnderAnotherNameFindsTheSamePeer()
    {
        var peer = _registry.AddOrUpdate("secondary-1", First).Peer;

        AssertFound(peer, _registry.AddOrUpdate("replica-a", First));

        Assert.Equal("secondary-1", peer.Name);
        Assert.False(peer.WhenKicked.IsCompleted, "a secondary that did not move was kicked");
    }

    [Fact]
    public void TheSameNameAndAddressAgainChangesNothing()
    {
        var peer = _registry.AddOrUpdate("secondary-1", First).Peer;

        AssertFound(peer, _registry.AddOrUpdate("secondary-1", First));

        Assert.Equal(First, peer.Client.Address);
        Assert.False(peer.WhenKicked.IsCompleted, "a secondary that did not move was kicked");
    }

    /// <summary>The registration found <paramref name="peer"/>: nothing was added or announced.</summary>
    private void AssertFound(SecondaryPeer peer, (SecondaryPeer Peer, bool Added) registration)
    {
        Assert.Same(peer, registration.Peer);
        Assert.False(registration.Added);
        Assert.Equal([peer], _registry.Peers);
        Assert.Equal([peer], _announced);
    }
}
