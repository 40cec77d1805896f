using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReplicatedLog.Bench.Load;

/// <summary>
/// One client's own keep-alive HTTP/1.1 connection to the master, as wrk keeps one: each append is written whole in
/// one send (a head built once, with the body's Content-Length), and only the answer's status line is read; its
/// headers are scanned for the body's length (Content-Length or chunked) and for <c>Connection: close</c>, and the
/// body is skipped. HttpClient did the same for several times the CPU, CPU taken from the nodes on a small machine.
/// A connection that fails or times out is dropped, and the next append opens a new one.
/// </summary>
public sealed class HttpAppendSender(Uri messages, AppendBodies bodies, TimeSpan timeout) : ConnectionSender(timeout)
{
    private const int BufferBytes = 16 * 1024;
    private const int MaxHeadBytes = 64 * 1024;
    private readonly byte[] _head = Encoding.ASCII.GetBytes(
        $"POST {messages.PathAndQuery} HTTP/1.1\r\nHost: {messages.Authority}\r\nContent-Type: application/json\r\nContent-Length: ");
    private readonly SocketReceiveBuffer _received = new("The master", BufferBytes);
    private byte[] _request = new byte[BufferBytes];
    private byte[]? _composedBody;
    private int _composedLength;
    private Socket? _socket;

    protected override async ValueTask<AppendOutcome> SendOnceAsync(long n, CancellationToken deadline)
    {
        _socket ??= await ConnectAsync(deadline);
        var length = Compose(bodies.For(n));
        for (var sent = 0; sent < length;)
        {
            sent += await _socket.SendAsync(_request.AsMemory(sent, length - sent), SocketFlags.None, deadline);
        }

        var (status, close) = await ReadAnswerAsync(deadline);
        if (close)
        {
            Disconnect();
        }

        return status is (int)HttpStatusCode.Created or (int)HttpStatusCode.OK
            ? AppendOutcome.Acknowledged
            : new AppendOutcome(AppendOutcomeKind.Status, status);
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(messages.IdnHost, messages.Port), cancellationToken);
            _received.Clear();
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The request, head and body, in <see cref="_request"/>; returns its length. Without keys every append has the
    /// same body, so the request is composed once.
    /// </summary>
    private int Compose(byte[] body)
    {
        if (ReferenceEquals(body, _composedBody))
        {
            return _composedLength;
        }

        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(body.Length, digits, out var digitCount);
        var length = _head.Length + digitCount + 4 + body.Length;
        if (_request.Length < length)
        {
            _request = new byte[length];
        }

        var request = _request.AsSpan();
        _head.CopyTo(request);
        var at = _head.Length;
        digits[..digitCount].CopyTo(request[at..]);
        at += digitCount;
        "\r\n\r\n"u8.CopyTo(request[at..]);
        body.CopyTo(request[(at + 4)..]);
        (_composedBody, _composedLength) = (body, length);
        return length;
    }

    /// <summary>Reads one answer: its status, and whether the server closes the connection after it; its body is skipped.</summary>
    private async ValueTask<(int Status, bool Close)> ReadAnswerAsync(CancellationToken cancellationToken)
    {
        int headEnd;
        while ((headEnd = _received.Pending.IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_received.Pending.Length >= MaxHeadBytes)
            {
                throw new InvalidDataException($"An answer's head longer than {MaxHeadBytes} bytes.");
            }

            await _received.FillAsync(_socket!, cancellationToken);
        }

        var (status, contentLength, chunked, close) = ParseHead(_received.Pending[..headEnd]);
        _received.Consume(headEnd + 4);
        if (chunked)
        {
            await SkipChunkedAsync(cancellationToken);
        }
        else
        {
            await SkipAsync(contentLength, cancellationToken);
        }

        return (status, close);
    }

    private static (int Status, long ContentLength, bool Chunked, bool Close) ParseHead(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? head : head[..lineEnd];
        if (!statusLine.StartsWith("HTTP/1."u8) || statusLine.Length < 12
            || !Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out _))
        {
            throw new InvalidDataException($"Not an HTTP/1.x status line: '{Encoding.ASCII.GetString(statusLine)}'.");
        }

        long contentLength = 0;
        bool chunked = false, close = false;
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!Utf8Parser.TryParse(value, out contentLength, out var used) || used != value.Length || contentLength < 0)
                {
                    throw new InvalidDataException($"Not a Content-Length: '{Encoding.ASCII.GetString(value)}'.");
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                close = Ascii.EqualsIgnoreCase(value, "close"u8);
            }
        }

        return (status, contentLength, chunked, close);
    }

    /// <summary>Skips a chunked body: each chunk's size line, its bytes and their line end, up to the last (empty) chunk and its blank line.</summary>
    private async ValueTask SkipChunkedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _received.Pending.IndexOf("\r\n"u8)) < 0)
            {
                await _received.FillAsync(_socket!, cancellationToken);
            }

            var sizeText = _received.Pending[..lineEnd];
            var extension = sizeText.IndexOf((byte)';');
            if (extension >= 0)
            {
                sizeText = sizeText[..extension];
            }

            if (!Utf8Parser.TryParse(sizeText, out long size, out var used, 'x') || used != sizeText.Length)
            {
                throw new InvalidDataException($"Not a chunk size: '{Encoding.ASCII.GetString(sizeText)}'.");
            }

            _received.Consume(lineEnd + 2);
            await SkipAsync(size + 2, cancellationToken); // the chunk and its line end; the last chunk's is the blank line
            if (size == 0)
            {
                return;
            }
        }
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var take = (int)Math.Min(count, _received.Pending.Length);
            _received.Consume(take);
            count -= take;
            if (count == 0)
            {
                return;
            }

            await _received.FillAsync(_socket!, cancellationToken);
        }
    }

    protected override void Disconnect()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
