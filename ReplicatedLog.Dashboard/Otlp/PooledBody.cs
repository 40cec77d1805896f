using System.Buffers;

namespace ReplicatedLog.Dashboard.Otlp;

/// <summary>
/// A request body read whole into an array rented from the shared pool, returned on dispose. An export batch is
/// hundreds of kilobytes: read into a fresh buffer (a <see cref="MemoryStream"/>) each would land on the large object
/// heap, whose allocations only a full (gen2) collection gives back, several times a second under load.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private const int FirstSize = 64 * 1024;
    private byte[] _buffer;

    private PooledBody(byte[] buffer, int length) => (_buffer, Length) = (buffer, length);

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>Reads the whole body (one byte more than its length is rented, to see its end without growing; Kestrel's request size limit still applies: past it, a 413).</summary>
    public static async Task<PooledBody> ReadAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(contentLength is > 0 and < int.MaxValue / 2 ? (int)contentLength.Value + 1 : FirstSize);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new PooledBody(buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, []) is { Length: > 0 } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
