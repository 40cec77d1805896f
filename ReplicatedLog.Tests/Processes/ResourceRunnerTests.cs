using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Processes;

/// <summary>
/// The AppHost's runner and its stream of events, on small real processes (<c>/bin/sh</c>): what every front end of the
/// AppHost (the console today, a dashboard later) relies on. Every process is stopped when the host is disposed, also
/// when a test fails.
/// </summary>
public sealed class ResourceRunnerTests
{
    private static readonly string WorkingDirectory = AppContext.BaseDirectory;

    [Fact]
    public async Task AStateChangeAndAnOutputLineReachTwoSubscribersInTheOrderTheyHappened()
    {
        var builder = ClusterHostBuilder.Create([]);
        builder.AddExecutable("greeter", "/bin/sh", WorkingDirectory, "-c", "echo hello from the child; exit 3");
        await using var host = builder.Build();
        using var first = host.Events.Subscribe();
        using var second = host.Events.Subscribe();

        await host.Runner.StartAsync("greeter");

        var seenByFirst = await first.ReadUntilExitAsync("greeter");
        var seenBySecond = await second.ReadUntilExitAsync("greeter");
        Assert.Equal(seenByFirst, seenBySecond);
        // Running comes once the runner sees the process started, which may be before or after its first line.
        Assert.Equal(
            ["greeter NotStarted", "greeter Starting", "greeter Starting (pid)", "greeter: hello from the child", "greeter Exited (3, ExitedOnItsOwn)"],
            seenByFirst.Select(EventReading.Describe).Where(e => e != "greeter Running (pid)"));
    }

    [Fact]
    public async Task AReferenceResolvesToTheEndpointAsItIsEachTimeTheResourceStarts()
    {
        var builder = ClusterHostBuilder.Create([]);
        var target = builder.AddExecutable("target", "/bin/sh", WorkingDirectory, "-c", "exit 0").WithHttpEndpoint(8001);
        builder.AddExecutable("caller", "/bin/sh", WorkingDirectory, "-c", "echo \"target at $services__target__http__0\"")
            .WithReference(target);
        await using var host = builder.Build();
        using var events = host.Events.Subscribe();

        // After the reference was declared and the model built, before anything started.
        target.GetEndpoint().Port = 9123;
        await host.Runner.StartAsync("caller");
        Assert.Contains("caller: target at http://localhost:9123", (await events.ReadUntilExitAsync("caller")).Select(EventReading.Describe));

        target.GetEndpoint().Port = 9124;
        await host.Runner.StartAsync("caller");
        Assert.Contains("caller: target at http://localhost:9124", (await events.ReadUntilExitAsync("caller")).Select(EventReading.Describe));
    }

    [Fact]
    public async Task ASubscriberThatReadsNothingHoldsUpNeitherTheProcessNorAnotherSubscriber()
    {
        const int lines = 20_000; // about 110 kB: more than a pipe holds, so a child whose output is not read would block
        const int capacity = 100;
        var builder = ClusterHostBuilder.Create([]);
        builder.AddExecutable("chatty", "/bin/sh", WorkingDirectory, "-c", $"seq 1 {lines}");
        await using var host = builder.Build();
        using var stalled = host.Events.Subscribe(capacity);
        using var reading = host.Events.Subscribe(capacity: 2 * lines);

        await host.Runner.StartAsync("chatty");

        // The reading subscriber gets every line and the exit while the other has not read a thing.
        var seen = await reading.ReadUntilExitAsync("chatty");
        Assert.Equal(Enumerable.Range(1, lines).Select(i => $"{i}"), seen.OfType<ResourceOutput>().Select(o => o.Line));
        Assert.Empty(seen.OfType<OutputLinesDropped>());

        // The stalled one kept its first lines, is told how many it lost, and still gets every change of state.
        var late = await stalled.ReadUntilExitAsync("chatty");
        Assert.Equal(Enumerable.Range(1, capacity).Select(i => $"{i}"), late.OfType<ResourceOutput>().Select(o => o.Line));
        Assert.Equal(lines - capacity, late.OfType<OutputLinesDropped>().Sum(d => d.Count));
        Assert.Equal(seen.OfType<ResourceStateChanged>(), late.OfType<ResourceStateChanged>());
        Assert.Equal("chatty Exited (0, ExitedOnItsOwn)", EventReading.Describe(late[^1]));
    }

    [Fact]
    public async Task StoppingEverythingStopsEachResourceOnlyOnceThoseThatWaitForItHaveExited()
    {
        var builder = ClusterHostBuilder.Create(["--AppHost:GracePeriodMs=5000"]);
        var first = builder.AddExecutable("first", "/bin/sh", WorkingDirectory, "-c", "exec sleep 600");
        var second = builder.AddExecutable("second", "/bin/sh", WorkingDirectory, "-c", "exec sleep 600").WaitFor(first);
        builder.AddExecutable("third", "/bin/sh", WorkingDirectory, "-c", "exec sleep 600").WaitFor(second);
        await using var host = builder.Build();
        await host.Runner.StartAllAsync();
        using var events = host.Events.Subscribe();

        await host.Runner.StopAllAsync();

        var seen = await events.ReadUntilAsync("first to exit", e => EventReading.Describe(e).StartsWith("first Exited", StringComparison.Ordinal));
        Assert.Equal(
            ["third Stopping (pid)", "third Exited (143, Stopped)", "second Stopping (pid)", "second Exited (143, Stopped)",
                "first Stopping (pid)", "first Exited (143, Stopped)"],
            seen.Skip(events.Initial.Count).Select(EventReading.Describe));
    }
}
