using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Dashboard.Resources;

namespace ReplicatedLog.Tests.Unit;

/// <summary>What the dashboard keeps of the AppHost's resources as watches come and go, without sockets.</summary>
public sealed class ResourceCatalogTests
{
    [Fact]
    public void AWatchThatStartsAgainReplacesTheResourcesAndAddsOnlyTheLinesNotHeldYet()
    {
        var catalog = new ResourceCatalog(maxConsoleLines: 100);
        catalog.Apply(new ResourcesSnapshot("run-1", [View("master", "Running"), View("gone", "Running")]));
        catalog.Apply(new ResourceLogLine("master", 1, "one"));
        catalog.Apply(new ResourceLogLine("master", 2, "two"));

        // The connection drops; the next watch of the same run sends its snapshot and the recent lines again.
        catalog.SetConnection(ResourceConnectionState.Disconnected, "connection refused");
        catalog.Apply(new ResourcesSnapshot("run-1", [View("master", "Paused")]));
        catalog.Apply(new ResourceLogLine("master", 1, "one"));
        catalog.Apply(new ResourceLogLine("master", 2, "two"));
        catalog.Apply(new ResourceLogLine("master", 3, "three"));

        Assert.Equal(ResourceConnectionState.Connected, catalog.Connection.State);
        Assert.Equal(["master Paused"], catalog.Resources.Select(r => $"{r.Name} {r.State}"));
        Assert.Equal(["one", "two", "three"], catalog.Console("master")!.Select(l => l.Text));
        Assert.Equal(["three"], catalog.Console("master", after: 2)!.Select(l => l.Text));
        Assert.Null(catalog.Console("gone"));
    }

    [Fact]
    public void AnotherRunOfTheAppHostStartsTheConsolesAfreshAndEachKeepsOnlyItsNewestLines()
    {
        var catalog = new ResourceCatalog(maxConsoleLines: 2);
        catalog.Apply(new ResourcesSnapshot("run-1", [View("master", "Running")]));
        foreach (var n in Enumerable.Range(1, 5))
        {
            catalog.Apply(new ResourceLogLine("master", n, $"line {n}"));
        }

        Assert.Equal([4L, 5L], catalog.Console("master")!.Select(l => l.Number));

        catalog.Apply(new ResourcesSnapshot("run-2", [View("master", "Starting")]));
        catalog.Apply(new ResourceLogLine("master", 1, "first line of the new run"));
        Assert.Equal(["first line of the new run"], catalog.Console("master")!.Select(l => l.Text));
    }

    private static ResourceView View(string name, string state) => new(name, "Project", state, null, null, null, null, 0, [], [], []);
}
