using System.Net.Http.Headers;
using System.Text.Json;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Deploy;

/// <summary>
/// The committed, generated Docker Compose deployment (<c>deploy/compose</c>), run for real: its images built from
/// the Dockerfiles, reached only through the ports it publishes on 127.0.0.1, faulted with docker-compose's own
/// commands, and taken down. One test, in stages, because each stage starts from the state the one before left.
/// </summary>
public sealed class ComposeDeploymentTests
{
    private static readonly Uri Master = new("http://127.0.0.1:8000/");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task TheComposeDeploymentPassesTheAcceptanceScenarioKeepsWritesThroughAMasterKillCatchesUpASecondaryAndStopsClean()
    {
        await using var compose = await ComposeProject.UpAsync(Path.Combine(Repository.Root, "deploy", "compose", "docker-compose.yaml"));
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        await WaitForWritableAsync();

        // The course's acceptance scenario, with secondary-2 (2 s delay) stopped at first.
        await compose.RunAsync("stop", "secondary-2");
        Assert.Equal(201, (await AppendAsync(http, "Msg1", 1)).Status);
        Assert.Equal(201, (await AppendAsync(http, "Msg2", 2)).Status);
        var msg3 = AppendAsync(http, "Msg3", 3);
        await Eventually.MatchAsync("Msg3 (w=3) to wait", () => TestCluster.HealthAsync(Master), h => h.GetProperty("pendingWrites").GetInt32() == 1,
            Deadline, h => h.ToString());
        Assert.Equal(201, (await AppendAsync(http, "Msg4", 1)).Status);
        Assert.False(msg3.IsCompleted, "Msg3 (w=3) answered while secondary-2 was stopped");
        await compose.RunAsync("start", "secondary-2");
        var (status, body) = await msg3.WaitAsync(Deadline);
        Assert.Equal(201, status);
        Assert.Equal(3, body!.Acks);
        string[] scenario = ["Msg1", "Msg2", "Msg3", "Msg4"];
        await WaitForLogAsync(http, "secondary-2", 8002, scenario);

        // The master's container killed (SIGKILL) in the middle of a stream of appends, and started again: every
        // acknowledged write is still there, once and in order, and it takes appends again.
        var acknowledged = new List<string>(scenario);
        using (var writing = new CancellationTokenSource())
        {
            var writer = Task.Run(async () =>
            {
                for (var i = 0; !writing.IsCancellationRequested; i++)
                {
                    try
                    {
                        if ((await AppendAsync(http, $"k-{i}", 2, writing.Token)).Status == 201)
                        {
                            lock (acknowledged)
                            {
                                acknowledged.Add($"k-{i}");
                            }
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                    {
                        // The master is gone mid-call: not acknowledged, so it may or may not be in the log.
                    }
                }
            });
            await Eventually.TrueAsync("appends before the kill", () => { lock (acknowledged) { return acknowledged.Count >= 30; } }, Deadline);
            await compose.RunAsync("kill", "master");
            await writing.CancelAsync();
            await writer.WaitAsync(Deadline);
        }

        await compose.RunAsync("start", "master");
        await WaitForWritableAsync();
        var afterRestart = await TestCluster.MessagesAsync(Master);
        Assert.Equal(afterRestart.Count, afterRestart.Distinct().Count());
        Assert.Equal(acknowledged, afterRestart.Where(acknowledged.Contains));
        Assert.Equal(201, (await AppendAsync(http, "after-restart", 3)).Status);

        // secondary-1 stopped, appended past, started: it catches up with everything.
        await compose.RunAsync("stop", "secondary-1");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(201, (await AppendAsync(http, $"while-down-{i}", 1)).Status);
        }

        await compose.RunAsync("start", "secondary-1");
        var everything = await TestCluster.MessagesAsync(Master);
        await WaitForLogAsync(http, "secondary-1", 8001, everything);

        // The dashboard got the services' telemetry over OTLP, inside the deployment's network.
        await Eventually.MatchAsync("the dashboard to hold the master's traces", () => DashboardTracesAsync(compose),
            t => t.Contains("\"master\"", StringComparison.Ordinal), Deadline, t => t.Length > 300 ? t[..300] : t);

        // docker-compose down leaves no container and no network behind (the volumes with the logs stay, by design).
        await compose.DownAsync();
        Assert.Empty(await compose.ContainersAsync());
        Assert.Empty(await compose.NetworksAsync());
    }

    private static async Task<(int Status, AppendMessageResponse? Body)> AppendAsync(
        HttpClient http, string message, int w, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync(new Uri(Master, "messages"), TestCluster.JsonContent(new { message, w }), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, response.IsSuccessStatusCode
            ? JsonSerializer.Deserialize(text, WireJsonContext.Default.AppendMessageResponse)
            : null);
    }

    private static Task WaitForWritableAsync() =>
        Eventually.MatchAsync("the master to be writable", () => TestCluster.HealthAsync(Master), h => !h.GetProperty("readOnly").GetBoolean(),
            Deadline, h => h.ToString());

    private static Task WaitForLogAsync(HttpClient http, string name, int port, IReadOnlyList<string> expected) =>
        Eventually.MatchAsync($"{name} to read the master's {expected.Count} messages", () => TestCluster.MessagesAsync(new Uri($"http://127.0.0.1:{port}/")),
            m => m.SequenceEqual(expected), Deadline, m => $"{m.Count} messages, last {string.Join(", ", m.TakeLast(3))}");

    private static async Task<string> DashboardTracesAsync(ComposeProject compose)
    {
        var cookies = new System.Net.CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri("http://127.0.0.1:18888/") };
        using var login = await client.GetAsync($"login?t={compose.BrowserToken}");
        login.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await client.GetStringAsync("api/telemetry/traces");
    }
}
