using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using ReplicatedLog.Dashboard.Cluster;

namespace ReplicatedLog.Tests.Unit;

/// <summary>The Cluster page's client of the services: looks at nodes are bounded in time, appends are not.</summary>
public sealed class ClusterClientTests
{
    [Fact]
    public async Task AnAppendWaitingLongerThanTheBoundOfALookAtANodeIsStillAnsweredWhenTheMasterAnswers()
    {
        var master = new Uri("http://master.test/");
        var handler = new HeldAnswers();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:Cluster:MasterUrl"] = master.ToString(),
            ["Dashboard:Cluster:CallTimeoutMs"] = "200",
        }).Build();
        var client = new ClusterClient(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, configuration);

        var append = client.AppendAsync(new JsonObject { ["message"] = "Msg3", ["w"] = 3 }, new string('a', 32), CancellationToken.None);
        await handler.AppendArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // A look at the master that gets no answer gives up at the bound: by then the append has waited longer.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SnapshotAsync(15, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(append.IsCompleted, $"The append ended while the master still held it ({append.Status})");

        handler.AnswerAppend.SetResult();
        var (status, body) = await append.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(201, status);
        Assert.Equal(1, body?["index"]?.GetValue<long>());
    }

    /// <summary>A master that holds an append until told, and never answers anything else.</summary>
    private sealed class HeldAnswers : HttpMessageHandler
    {
        public TaskCompletionSource AppendArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource AnswerAppend { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/messages")
            {
                AppendArrived.SetResult();
                await AnswerAppend.Task.WaitAsync(cancellationToken);
                return new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent("""{"index":1,"w":3,"acks":3}""") };
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
