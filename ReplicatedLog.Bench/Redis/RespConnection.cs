using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;

using ReplicatedLog.Bench.Load;

namespace ReplicatedLog.Bench.Redis;

/// <summary>
/// A connection to Redis that speaks just enough RESP2 for the benchmark (RPUSH, WAIT, INFO, PING and the like):
/// commands go out as given, so several written at once make a pipeline, and replies are read one at a time: simple
/// strings, errors, integers and bulk strings (no command the benchmark sends answers with an array). One client of
/// the load owns one connection; it is not safe to share.
/// </summary>
public sealed class RespConnection : IDisposable
{
    private const int InitialBufferBytes = 16 * 1024;
    private readonly Socket _socket;
    private readonly SocketReceiveBuffer _received = new("Redis", InitialBufferBytes);

    private RespConnection(Socket socket) => _socket = socket;

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>, with Nagle off (each command goes out when written).</summary>
    public static async Task<RespConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
            return new RespConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects to the host and port of a <c>redis://</c> address (6379 when it names none).</summary>
    public static Task<RespConnection> ConnectAsync(Uri url, CancellationToken cancellationToken) =>
        ConnectAsync(url.IdnHost, url.IsDefaultPort ? Options.BenchOptions.DefaultRedisPort : url.Port, cancellationToken);

    /// <summary>A command as RESP: an array of bulk strings (<c>*2\r\n$4\r\nLLEN\r\n$3\r\nkey\r\n</c>).</summary>
    public static byte[] Encode(params ReadOnlySpan<string> arguments)
    {
        var text = new StringBuilder().Append('*').Append(arguments.Length).Append("\r\n");
        foreach (var argument in arguments)
        {
            text.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Sends one command and reads its reply.</summary>
    public async Task<RespReply> CommandAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        await WriteAsync(Encode(arguments), cancellationToken);
        return await ReadAsync(cancellationToken);
    }

    /// <summary>Writes encoded commands, all of them in one send.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> commands, CancellationToken cancellationToken)
    {
        while (!commands.IsEmpty)
        {
            var sent = await _socket.SendAsync(commands, SocketFlags.None, cancellationToken);
            commands = commands[sent..];
        }
    }

    /// <summary>Reads the next reply. Throws <see cref="IOException"/> when Redis closes the connection, <see cref="InvalidDataException"/> for what this client does not read.</summary>
    public async ValueTask<RespReply> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryParse(out var reply))
            {
                return reply;
            }

            await _received.FillAsync(_socket, cancellationToken);
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Takes one whole reply from the buffer; false when it has not all arrived yet.</summary>
    private bool TryParse(out RespReply reply)
    {
        reply = default;
        var data = _received.Pending;
        var lineEnd = data.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return false;
        }

        var line = data[1..lineEnd];
        var consumed = lineEnd + 2;
        switch (data[0])
        {
            case (byte)'+':
                reply = new RespReply(RespReplyKind.SimpleString, Text: Encoding.UTF8.GetString(line));
                break;
            case (byte)'-':
                reply = new RespReply(RespReplyKind.Error, Text: Encoding.UTF8.GetString(line));
                break;
            case (byte)':':
                reply = new RespReply(RespReplyKind.Integer, Integer: Number(line));
                break;
            case (byte)'$':
                var length = Number(line);
                if (length < 0)
                {
                    reply = new RespReply(RespReplyKind.Null);
                    break;
                }

                if (data.Length < consumed + length + 2)
                {
                    return false;
                }

                reply = new RespReply(RespReplyKind.BulkString, Text: Encoding.UTF8.GetString(data.Slice(consumed, (int)length)));
                consumed += (int)length + 2;
                break;
            default:
                throw new InvalidDataException($"A reply this client does not read: '{Encoding.UTF8.GetString(data[..lineEnd])}'.");
        }

        _received.Consume(consumed);
        return true;
    }

    private static long Number(ReadOnlySpan<byte> line) =>
        Utf8Parser.TryParse(line, out long value, out var used) && used == line.Length
            ? value
            : throw new InvalidDataException($"Not a RESP number: '{Encoding.UTF8.GetString(line)}'.");
}
