using System.Net;
using System.Net.Sockets;
using System.Text;
using ReplicatedLog.Bench.Load;
using ReplicatedLog.Bench.Options;

namespace ReplicatedLog.Tests.Unit;

/// <summary>
/// The bench tool's HTTP/1.1 client against a server on loopback that answers as told: every append is counted by
/// the status it got, whatever shape the answer's body has, and the connection is kept or opened again as HTTP says.
/// </summary>
public sealed class HttpAppendSenderTests
{
    private const string Created = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n";

    [Fact]
    public async Task AnswersWithALengthChunkedOrEmptyBodiesAreReadOneAfterAnotherOnOneConnection()
    {
        await using var server = await ScriptedServer.StartAsync(
            Created + "Content-Length: 13\r\n\r\n{\"index\": 1 }",
            Created + "Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\n{\"ind\r\nA\r\nex\": 2 }  \r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
            "HTTP/1.1 503 Service Unavailable\r\nTRANSFER-ENCODING: Chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            Created + "Content-Length: 2\r\n\r\n{}");
        using var sender = Sender(server.Url);

        var outcomes = new List<AppendOutcome>();
        for (var n = 1; n <= 5; n++)
        {
            outcomes.Add(await sender.SendAsync(n, CancellationToken.None));
        }

        Assert.Equal(
            [AppendOutcome.Acknowledged, AppendOutcome.Acknowledged, AppendOutcome.Acknowledged, new(AppendOutcomeKind.Status, 503), AppendOutcome.Acknowledged],
            outcomes);
        Assert.Equal(1, server.Connections);
        Assert.All(server.Requests, r => Assert.StartsWith("POST /messages HTTP/1.1\r\n", r, StringComparison.Ordinal));
        const string body = "{\"message\":\"xxx\",\"w\":\"all\"}";
        Assert.All(server.Requests, r => Assert.EndsWith($"\r\nContent-Length: {body.Length}\r\n\r\n{body}", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAnswerThatClosesTheConnectionIsCountedAndTheNextAppendOpensANewOne()
    {
        await using var server = await ScriptedServer.StartAsync(
            Created + "Connection: close\r\nContent-Length: 2\r\n\r\n{}",
            Created + "Content-Length: 2\r\n\r\n{}");
        using var sender = Sender(server.Url);

        Assert.Equal(AppendOutcome.Acknowledged, await sender.SendAsync(1, CancellationToken.None));
        Assert.Equal(AppendOutcome.Acknowledged, await sender.SendAsync(2, CancellationToken.None));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task AServerThatHangsUpOrAnswersSomethingElseIsAConnectionFailureAndTheNextAppendConnectsAgain()
    {
        await using var server = await ScriptedServer.StartAsync(
            null, // hangs up without an answer
            "SSH-2.0-OpenSSH\r\n\r\n",
            Created + "Content-Length: 2\r\n\r\n{}");
        using var sender = Sender(server.Url);

        Assert.Equal(AppendOutcomeKind.Connection, (await sender.SendAsync(1, CancellationToken.None)).Kind);
        Assert.Equal(AppendOutcomeKind.Connection, (await sender.SendAsync(2, CancellationToken.None)).Kind);
        Assert.Equal(AppendOutcome.Acknowledged, await sender.SendAsync(3, CancellationToken.None));
        Assert.Equal(3, server.Connections);
    }

    private static HttpAppendSender Sender(Uri master) =>
        new(new Uri(master, "messages"), new AppendBodies(3, WriteConcern.All, keys: false, "run"), TimeSpan.FromSeconds(20));

    /// <summary>
    /// Answers each request it reads with the next of its answers, on whichever connection it came; a null answer
    /// closes that connection, and a connection stays open after an answer until the client closes it.
    /// </summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Queue<string?> _answers;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _connections = [];
        private Task _accepting = Task.CompletedTask;

        private ScriptedServer(string?[] answers) => _answers = new Queue<string?>(answers);

        public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        public List<string> Requests { get; } = [];

        public int Connections { get; private set; }

        public static Task<ScriptedServer> StartAsync(params string?[] answers)
        {
            var server = new ScriptedServer(answers);
            server._listener.Start();
            server._accepting = server.AcceptAsync();
            return Task.FromResult(server);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await Task.WhenAll([.. _connections, _accepting]).WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(_ => { });
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Connections++;
                    _connections.Add(ServeAsync(client));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var pending = new StringBuilder();
            try
            {
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    if (!TakeRequest(pending, out var request))
                    {
                        continue;
                    }

                    Requests.Add(request);
                    var answer = _answers.Dequeue();
                    if (answer is null)
                    {
                        return;
                    }

                    await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // stopped, or the client closed the connection
            }
        }

        /// <summary>Takes one whole request (head and Content-Length bytes of body) off the front of <paramref name="pending"/>.</summary>
        private static bool TakeRequest(StringBuilder pending, out string request)
        {
            request = "";
            var text = pending.ToString();
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd < 0)
            {
                return false;
            }

            var lengthLine = text[..headEnd].Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.Ordinal));
            var total = headEnd + 4 + int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (text.Length < total)
            {
                return false;
            }

            request = text[..total];
            pending.Remove(0, total);
            return true;
        }
    }
}
