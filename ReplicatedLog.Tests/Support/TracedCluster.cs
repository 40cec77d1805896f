using System.Net;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// The AppHost's master and two secondaries as real processes, each sending its telemetry to a dashboard in the test
/// process whose Cluster page reads them, as under the AppHost; secondary-2 sleeps <see cref="SlowDelayMs"/> before
/// each apply. Real processes, because services in one process would each export every span of the others. Started
/// once per test class (an xunit class fixture), stopped on dispose.
/// </summary>
public sealed class TracedCluster : IAsyncLifetime
{
    public const string BrowserToken = "traced-cluster-token";
    public const int SlowDelayMs = 1_000;
    private const string ClusterToken = "traced-cluster-cluster-token";

    public TestDashboard Dashboard { get; private set; } = null!;

    public ProcessCluster Cluster { get; private set; } = null!;

    public Uri MasterUrl => Cluster.Runner["master"].Url;

    public async Task InitializeAsync()
    {
        Dashboard = await TestDashboard.StartAsync($"Dashboard:Frontend:BrowserToken={BrowserToken}", $"Cluster:Token={ClusterToken}");
        Cluster = ProcessCluster.Create(secondaries: 2, builder =>
        {
            Dashboard.ReceiveFrom(builder);
            foreach (var resource in builder.Resources)
            {
                resource.WithEnvironment("Cluster__Token", ClusterToken);
            }

            builder["secondary-2"].WithEnvironment("Replication__DelayMs", SlowDelayMs);
        });
        // What the AppHost hands the dashboard as a reference to the master.
        Dashboard.App.Configuration["Dashboard:Cluster:MasterUrl"] = MasterUrl.ToString();
        await Cluster.Runner.StartAllAsync();
        await Cluster.WaitForWritableAsync();
    }

    /// <summary>A client of the dashboard's JSON API, logged in with the browser token.</summary>
    public async Task<HttpClient> LoggedInClientAsync()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() })
        {
            BaseAddress = Dashboard.Frontend,
            Timeout = TimeSpan.FromSeconds(30),
        };
        using var login = await client.GetAsync($"/login?t={BrowserToken}");
        login.EnsureSuccessStatusCode();
        return client;
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (Dashboard is not null)
        {
            await Dashboard.DisposeAsync();
        }
    }
}
