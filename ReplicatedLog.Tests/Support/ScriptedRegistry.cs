using ReplicatedLog.Master.Health;
using ReplicatedLog.Master.Replication;

namespace ReplicatedLog.Tests.Support;

/// <summary>A <see cref="SecondaryRegistry"/> whose secondaries are <see cref="ScriptedSecondary"/>s: no sockets.</summary>
public static class ScriptedRegistry
{
    /// <summary>Missed heartbeats in a row that make a secondary of these registries Unhealthy.</summary>
    public const int UnhealthyAfterMisses = 3;

    /// <summary>A registry holding <paramref name="secondaries"/> secondaries named s1, s2, ... at http://s1/, ...</summary>
    public static SecondaryRegistry Create(TimeProvider time, int secondaries = 0, AcknowledgementBarrier? barrier = null)
    {
        var registry = new SecondaryRegistry(
            barrier ?? new AcknowledgementBarrier(),
            new HealthOptions { UnhealthyAfterMisses = UnhealthyAfterMisses },
            address => new ScriptedSecondary(time) { Address = address });
        for (var i = 1; i <= secondaries; i++)
        {
            registry.AddNumbered(i);
        }

        return registry;
    }

    /// <summary>Adds secondary number <paramref name="number"/> (s{number} at http://s{number}/), as a registration would.</summary>
    public static SecondaryPeer AddNumbered(this SecondaryRegistry registry, int number) =>
        registry.AddOrUpdate($"s{number}", new Uri($"http://s{number}/")).Peer;
}
