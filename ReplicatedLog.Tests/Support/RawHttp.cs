using System.Net.Sockets;
using System.Text;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// HTTP/1.1 over a bare socket, for requests no <see cref="HttpClient"/> would send: a malformed chunked body, a body
/// that stops arriving. Every exchange is bounded, and the socket is closed also when it fails.
/// </summary>
public static class RawHttp
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>A response as read off the wire: status, content type and the body (de-chunked).</summary>
    public sealed record Answer(int Status, string? ContentType, string Body)
    {
        public override string ToString() => $"{Status} {ContentType}: {Body}";
    }

    /// <summary>
    /// Sends <paramref name="headers"/> (after the request line, without the blank line) and <paramref name="body"/>,
    /// keeps the connection open for writing, and reads the answer until the server closes the connection.
    /// </summary>
    public static async Task<Answer> SendAsync(Uri node, string method, string path, string headers, byte[] body)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var client = new TcpClient();
        await client.ConnectAsync(node.Host, node.Port, timeout.Token);
        var stream = client.GetStream();
        var head = $"{method} {path} HTTP/1.1\r\nHost: {node.Authority}\r\nConnection: close\r\n{headers}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);
        await stream.FlushAsync(timeout.Token);

        using var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (received.Length > 0)
        {
            // A server that gives up on a request may reset the connection right after its answer: keep the answer.
        }

        return Parse(received.ToArray());
    }

    private static Answer Parse(byte[] raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"no complete response head in {raw.Length} bytes: '{text}'");
        var lines = text[..split].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = text[(split + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new Answer(status, headers.GetValueOrDefault("Content-Type")?.Split(';')[0], body);
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var end = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..end].Split(';')[0], 16);
            if (size == 0)
            {
                return body.ToString();
            }

            body.Append(chunked, end + 2, size);
            at = end + 2 + size + 2;
        }
    }
}
