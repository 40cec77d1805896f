using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Master.Health;
using ReplicatedLog.Master.Replication;
using ReplicatedLog.Master.Storage;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>The registered secondaries a master keeps in its data directory, and brings back when it starts again.</summary>
public sealed class MemberFileTests : IDisposable
{
    private static readonly Uri First = new("http://10.0.0.1:5001/");
    private static readonly Uri Second = new("http://10.0.0.2:5001/");
    private static readonly Uri Moved = new("http://10.0.0.9:5001/");
    private readonly TempDirectory _directory = new("members");

    [Fact]
    public void TheRegisteredSecondariesAsTheyAreAtTheEndAreWhatTheNextStartKnowsAndConfiguredOnesAreNotWritten()
    {
        var before = NewRegistry(_directory.Path);
        before.AddOrUpdate("configured", new Uri("http://10.0.0.5:5001/"));
        before.AddOrUpdate("secondary-1", First, registered: true);
        before.AddOrUpdate("secondary-2", Second, registered: true);
        before.AddOrUpdate("left", new Uri("http://10.0.0.3:5001/"), registered: true);
        before.Remove("left");
        before.AddOrUpdate("secondary-2", Moved, registered: true);

        var after = NewRegistry(_directory.Path);
        var restored = after.RestoreRegistered();

        Assert.Equal([("secondary-1", First, true), ("secondary-2", Moved, true)],
            restored.Select(p => (p.Name, p.Client.Address, p.Registered)));
        Assert.Equal(restored, after.Peers);
        Assert.All(restored, p => Assert.Equal(SecondaryStatus.Unhealthy, p.Status));
        Assert.False(File.Exists(Path.Combine(_directory.Path, MemberFile.FileName + ".tmp")));
    }

    [Fact]
    public void ARegisteredSecondaryThatConfigurationNowNamesIsTheConfiguredOneAndLeavesTheFile()
    {
        var before = NewRegistry(_directory.Path);
        before.AddOrUpdate("secondary-1", First, registered: true);
        before.AddOrUpdate("secondary-2", Second, registered: true);

        var after = NewRegistry(_directory.Path);
        var configured = after.AddOrUpdate("secondary-1", Moved).Peer;
        var restored = after.RestoreRegistered();

        Assert.Equal(["secondary-2"], restored.Select(p => p.Name));
        Assert.Equal([configured, restored[0]], after.Peers);
        Assert.Equal((Moved, false), (configured.Client.Address, configured.Registered));

        after.Remove("secondary-2");
        Assert.Empty(new MemberFile(_directory.Path).Read());
    }

    [Fact]
    public void ARegistrationThatCannotBeWrittenIsRefusedAndCountsForNothing()
    {
        // A file where the directory should be: nothing can be written under it.
        var blocked = Path.Combine(_directory.Path, "not-a-directory");
        File.WriteAllText(blocked, "");
        var registry = NewRegistry(blocked);
        var announced = new List<SecondaryPeer>();
        registry.Added += announced.Add;

        Assert.ThrowsAny<IOException>(() => registry.AddOrUpdate("secondary-1", First, registered: true));

        Assert.Equal(0, registry.Count);
        Assert.Empty(announced);
        Assert.True(registry.AddOrUpdate("configured", Second).Added, "a configured secondary is not written, so nothing stops it");
    }

    [Fact]
    public void AMemberFileThatIsNotOneStopsTheStartInsteadOfForgettingTheMembers()
    {
        File.WriteAllText(Path.Combine(_directory.Path, MemberFile.FileName), "{\"version\":1,\"secondaries\":[{\"name\":\"secondary-1\"");

        var error = Assert.Throws<InvalidDataException>(() => NewRegistry(_directory.Path).RestoreRegistered());

        Assert.Contains(MemberFile.FileName, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private static SecondaryRegistry NewRegistry(string directory) =>
        new(new AcknowledgementBarrier(), new HealthOptions(),
            address => new ScriptedSecondary(TimeProvider.System) { Address = address }, new MemberFile(directory));
}
