using System.Net.Sockets;

namespace ReplicatedLog.Bench.Load;

/// <summary>
/// What a client of the load has received on its socket and not yet read: the bytes of the next answers, in one
/// buffer that grows when an answer does not fit. Used by one client at a time (RESP for Redis, HTTP/1.1 for our
/// master).
/// </summary>
public sealed class SocketReceiveBuffer(string peer, int initialBytes = 16 * 1024)
{
    private byte[] _buffer = new byte[initialBytes];
    private int _start;
    private int _end;

    /// <summary>The bytes received and not yet consumed.</summary>
    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Marks <paramref name="count"/> of the pending bytes as read.</summary>
    public void Consume(int count) => _start += count;

    /// <summary>Forgets what was received (a new connection starts empty).</summary>
    public void Clear() => (_start, _end) = (0, 0);

    /// <summary>
    /// Receives more bytes after the pending ones, first moving those to the front (or to a larger buffer when they
    /// fill it). Throws <see cref="IOException"/> when the peer has closed the connection.
    /// </summary>
    public async ValueTask FillAsync(Socket socket, CancellationToken cancellationToken)
    {
        var pending = _end - _start;
        if (pending == 0)
        {
            Clear();
        }
        else if (_end == _buffer.Length)
        {
            var target = pending > _buffer.Length / 2 ? new byte[_buffer.Length * 2] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, pending);
            (_buffer, _start, _end) = (target, 0, pending);
        }

        var received = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (received == 0)
        {
            throw new IOException($"{peer} closed the connection.");
        }

        _end += received;
    }
}
