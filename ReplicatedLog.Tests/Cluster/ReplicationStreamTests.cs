using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Cluster;

/// <summary>
/// The replication stream: appends reach a secondary as messages on one WebSocket that stays open, not as an HTTP
/// request each; a secondary that does not serve it still gets them as requests; what is not an append gets the
/// answer the HTTP route would give, and the stream goes on.
/// </summary>
public sealed class ReplicationStreamTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AppendsTravelOnOneStreamUnlessItIsTurnedOff(bool stream)
    {
        var requests = new ConcurrentDictionary<string, int>();
        await using var cluster = await TestCluster.StartAsync(secondaries: 1,
            master: new() { ["Replication:Stream"] = stream ? "true" : "false" },
            configure: b => b.Services.AddSingleton<IStartupFilter>(new RequestCounter(requests, null)));
        await cluster.WaitForWritableAsync();

        var expected = Enumerable.Range(1, 20).Select(i => $"m{i}").ToList();
        foreach (var message in expected)
        {
            Assert.Equal(2, (await cluster.AppendOkAsync(message, 2)).Acks);
        }

        Assert.Equal(expected, await TestCluster.MessagesAsync(cluster.Secondaries[0].Url));
        // Appends that were applied: the secondary's warm-up sends itself one that is refused (400), as a request and
        // on a stream of its own.
        var (upgrades, posts) = (requests.GetValueOrDefault("/replication/stream"), requests.GetValueOrDefault("/replication/append 200"));
        if (stream)
        {
            // The master's stream (another only if a heartbeat's kick cut the first short) and the warm-up's, no POST.
            Assert.True(upgrades is >= 1 and <= 3 && posts == 0, $"{upgrades} stream upgrades and {posts} POSTs for 20 appends; expected one stream and no POST");
        }
        else
        {
            Assert.True(upgrades <= 1 && posts >= 20, $"{upgrades} stream upgrades and {posts} POSTs for 20 appends; expected a POST each and no stream but the warm-up's");
        }
    }

    [Fact]
    public async Task ASecondaryThatDoesNotServeTheStreamGetsEachAppendAsARequest()
    {
        var requests = new ConcurrentDictionary<string, int>();
        await using var cluster = await TestCluster.StartAsync(secondaries: 1,
            configure: b => b.Services.AddSingleton<IStartupFilter>(new RequestCounter(requests, notServed: "/replication/stream")));
        await cluster.WaitForWritableAsync();

        Assert.Equal(2, (await cluster.AppendOkAsync("first", 2)).Acks);
        Assert.Equal(2, (await cluster.AppendOkAsync("second", 2)).Acks);

        Assert.Equal(["first", "second"], await TestCluster.MessagesAsync(cluster.Secondaries[0].Url));
        Assert.True(requests.GetValueOrDefault("/replication/append 200") >= 2, $"POSTs applied: {requests.GetValueOrDefault("/replication/append 200")}");
        // The master asked once (and then not again for a while), the secondary's warm-up once.
        Assert.InRange(requests.GetValueOrDefault("/replication/stream"), 1, 2);
    }

    [Fact]
    public async Task WhatIsNotAnAppendGetsA400AnswerAndTheStreamGoesOn()
    {
        // The master is pointed elsewhere: this test speaks for it, from loopback (protected mode lets it in).
        await using var cluster = await TestCluster.StartAsync(secondaries: 1, master: new() { ["Replication:Secondaries:0"] = "http://127.0.0.1:1/" });
        var secondary = cluster.Secondaries[0].Url;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{secondary.Authority}/replication/stream"), CancellationToken.None);

        var notJson = await CallAsync(socket, "this is not JSON");
        Assert.Equal(400, notJson.Status);
        Assert.Contains("not an append", notJson.Detail);
        var noLog = await CallAsync(socket, """{"request":{"logId":"","entries":[{"index":1,"message":"x"}]}}""");
        Assert.Equal(400, noLog.Status);
        Assert.Contains("logId", noLog.Detail);

        var applied = await CallAsync(socket, """{"request":{"logId":"a-log","entries":[{"index":1,"message":"kept"}]}}""");
        Assert.Equal((200, 1L), (applied.Status, applied.Response!.AppliedIndex));
        Assert.Equal(["kept"], await TestCluster.MessagesAsync(secondary));

        var otherLog = await CallAsync(socket, """{"request":{"logId":"another-log","entries":[{"index":2,"message":"refused"}]}}""");
        Assert.Equal(409, otherLog.Status);
        Assert.Equal(["kept"], await TestCluster.MessagesAsync(secondary));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        // The route without the upgrade: a 400 with a problem-details body that says what it takes.
        using var plain = await TestCluster.SendRawAsync(HttpMethod.Get, new Uri(secondary, "replication/stream"), "");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
        Assert.Contains("WebSocket", await plain.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ABatchThatFailsOnTheStreamIsAFailedCallInItsTraceAndIsSentAgain()
    {
        using var stopped = new StoppedActivities(s => s.Name == "ReplicatedLog.Master");
        await using var cluster = await TestCluster.StartAsync(secondaries: 1, secondary: _ => new() { ["Faults:Enabled"] = "true" });
        await cluster.WaitForWritableAsync();
        var secondary = cluster.Secondaries[0].Url;
        using (var dropping = await TestCluster.SendRawAsync(HttpMethod.Put, new Uri(secondary, "admin/faults"), "{\"dropRate\": 1}"))
        {
            Assert.Equal(HttpStatusCode.OK, dropping.StatusCode);
        }

        // w=1: the master alone; every batch to the secondary has its connection cut before it is applied.
        Assert.Equal(1, (await cluster.AppendOkAsync("dropped, then sent again", 1)).Acks);
        var address = secondary.Port;
        var failed = await Eventually.MatchAsync("a failed call on the stream", () => Task.FromResult(
                stopped.FirstOrDefault(a => a.OperationName == ClusterRoutes.StreamAppendSpan && Equals(a.GetTagItem("server.port"), address)
                    && a.Status == ActivityStatusCode.Error)),
            a => a is not null, describe: _ => string.Join(", ", stopped.Select(a => $"{a.OperationName} {a.Status}")));
        Assert.Equal(ActivityKind.Client, failed!.Kind);
        Assert.Contains("broke", failed.StatusDescription);
        Assert.Empty(await TestCluster.MessagesAsync(secondary));

        using (var healed = await TestCluster.SendRawAsync(HttpMethod.Put, new Uri(secondary, "admin/faults"), "{\"dropRate\": 0}"))
        {
            Assert.Equal(HttpStatusCode.OK, healed.StatusCode);
        }

        await cluster.WaitForConvergenceAsync(["dropped, then sent again"]);
        Assert.Contains(stopped, a => a.OperationName == ClusterRoutes.StreamAppendSpan && Equals(a.GetTagItem("server.port"), address)
            && a.Status != ActivityStatusCode.Error && Equals(a.GetTagItem("replicatedlog.status"), 200));
    }

    private static async Task<StreamedAnswer> CallAsync(ClientWebSocket socket, string message)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            Assert.Equal(WebSocketMessageType.Text, received.MessageType);
            length += received.Count;
            if (received.EndOfMessage)
            {
                return JsonSerializer.Deserialize(buffer.AsSpan(0, length), WireJsonContext.Default.StreamedAnswer)!;
            }
        }
    }

    /// <summary>Counts every node's requests by path, and by path and status once answered; answers 404 to <paramref name="notServed"/>, as a node without that route would.</summary>
    private sealed class RequestCounter(ConcurrentDictionary<string, int> requests, string? notServed) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                var path = context.Request.Path.Value ?? "";
                requests.AddOrUpdate(path, 1, (_, n) => n + 1);
                if (path == notServed)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                await nextMiddleware(context);
                requests.AddOrUpdate($"{path} {context.Response.StatusCode}", 1, (_, n) => n + 1);
            });
            next(app);
        };
    }
}
