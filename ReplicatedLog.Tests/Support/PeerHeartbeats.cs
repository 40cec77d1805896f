using ReplicatedLog.Master.Replication;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Tests.Support;

/// <summary>Drives a peer's health the way its heartbeat loop does, without running one.</summary>
public static class PeerHeartbeats
{
    /// <summary>The instance id the heartbeats and acknowledgements of these helpers come from.</summary>
    public const string Instance = "instance-1";

    /// <summary>A heartbeat is answered: the peer is Healthy, and what it acknowledged stays.</summary>
    public static void AnswerHeartbeat(this SecondaryPeer peer, TimeProvider time) =>
        peer.OnHeartbeatAnswered(new HeartbeatResponse(Instance, null, peer.AckedIndex, 0, 0, false), time.GetUtcNow());

    /// <summary><paramref name="count"/> heartbeats in a row go unanswered.</summary>
    public static void MissHeartbeats(this SecondaryPeer peer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            peer.OnHeartbeatMissed("scripted: no answer");
        }
    }

    /// <summary>Enough heartbeats go unanswered to make the peer Unhealthy.</summary>
    public static void GoDown(this SecondaryPeer peer) => peer.MissHeartbeats(ScriptedRegistry.UnhealthyAfterMisses);
}
