using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>The stream's promises to subscribers that come late or stop reading, without processes.</summary>
public sealed class ResourceEventsTests
{
    [Fact]
    public async Task ASubscriberFirstGetsEachResourcesCurrentStateThenWhatHappensNext()
    {
        var events = new ResourceEvents();
        events.Publish(Changed("a", ResourceState.Starting));
        events.Publish(Changed("b", ResourceState.Waiting));
        events.Publish(Changed("a", ResourceState.Running));
        events.Publish(new ResourceOutput("a", "before the subscriber"));

        using var late = events.Subscribe();
        events.Publish(new ResourceOutput("b", "after it"));

        var seen = await late.ReadUntilAsync("b's line", e => e is ResourceOutput);
        Assert.Equal(["a Running", "b Waiting", "b: after it"], seen.Select(EventReading.Describe));
    }

    [Fact]
    public async Task ASubscriberThatLeavesCapacityStateChangesUnreadIsEndedAndTheOthersGoOn()
    {
        var events = new ResourceEvents();
        using var stalled = events.Subscribe(capacity: 2);
        using var reading = events.Subscribe(capacity: 10);

        events.Publish(Changed("a", ResourceState.Starting));
        events.Publish(Changed("a", ResourceState.Running));
        events.Publish(Changed("a", ResourceState.Stopping));

        var seen = await reading.ReadUntilAsync("a to be Stopping", e => EventReading.Describe(e) == "a Stopping");
        Assert.Equal(3, seen.Count);
        var kept = new List<string>();
        var ended = await Assert.ThrowsAsync<SubscriberTooSlowException>(() => stalled.ReadUntilAsync("the subscription to end", next =>
        {
            kept.Add(EventReading.Describe(next));
            return false;
        }));
        Assert.Equal(["a Starting", "a Running"], kept);
        Assert.Contains("subscribe again", ended.Message);
    }

    private static ResourceStateChanged Changed(string resource, ResourceState state) => new(new ResourceSnapshot(resource, state));
}
