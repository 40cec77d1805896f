using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using ReplicatedLog.Secondary;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>What a secondary's long-lived loops on the master are part of, when the secondary joined through a request.</summary>
public sealed class RegistrationTraceTests
{
    [Fact]
    public async Task TheLoopsOfASecondaryThatRegisteredDoNotRunInsideTheRegistrationRequestsTrace()
    {
        var port = FreePort.Next();
        var registration = ActivityTraceId.CreateRandom();
        var calls = new ConcurrentQueue<string>(); // the trace id of each call
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "System.Net.Http" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // Every call the master makes to the secondary: its heartbeats and replication requests.
            ActivityStopped = a =>
            {
                if (a.Source.Name == "System.Net.Http" && a.GetTagItem("server.port")?.ToString() == $"{port}")
                {
                    calls.Enqueue(a.TraceId.ToHexString());
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var cluster = await TestCluster.StartAsync(secondaries: 0);
        var secondary = SecondaryApp.Build([], b =>
        {
            b.WebHost.UseUrls($"http://127.0.0.1:{port}");
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Error" });
        });
        await secondary.StartAsync();
        try
        {
            using var register = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster.MasterUrl, "replication/register"))
            {
                Content = TestCluster.JsonContent(new { name = "joiner", url = $"http://127.0.0.1:{port}/" }),
            };
            register.Headers.Add("traceparent", $"00-{registration.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            using (var response = await TestCluster.SendAsync(register))
            {
                Assert.True(response.IsSuccessStatusCode, $"registration answered {(int)response.StatusCode}");
            }

            // Heartbeats until the joiner counts, then a replication request: both loops have called it.
            await cluster.WaitForWritableAsync();
            await cluster.AppendOkAsync("replicated to the joiner", w: 2);
            Assert.NotEmpty(calls);
            Assert.DoesNotContain(registration.ToHexString(), calls);
        }
        finally
        {
            await secondary.StopAsync();
            await secondary.DisposeAsync();
        }
    }
}
