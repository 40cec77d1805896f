using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// Reads frames at given offsets of one file through a pooled buffer that holds a block of it, so that frames next to
/// each other cost one positional read (<see cref="RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/>, safe
/// beside writes and other readers). A frame larger than the block gets a buffer of its own size.
/// </summary>
internal sealed class FrameReader(SafeFileHandle handle) : IDisposable
{
    private const int BlockBytes = 64 * 1024;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
    private long _start;
    private int _count;

    /// <summary>Reads the frame at <paramref name="offset"/>; the record's text lives until the next call.</summary>
    public FrameStatus TryRead(long offset, out Record record, out int frameBytes)
    {
        if (offset < _start || offset + RecordFrame.HeaderBytes > _start + _count)
        {
            Load(offset, BlockBytes);
        }

        var status = RecordFrame.TryRead(Window(offset), out record, out frameBytes);
        if (status == FrameStatus.Short
            && RecordFrame.FrameBytes(Window(offset)) is { } needed
            && offset + needed > _start + _count
            && offset + needed <= RandomAccess.GetLength(handle))
        {
            Load(offset, (int)Math.Min(Math.Max(needed, BlockBytes), Array.MaxLength));
            status = RecordFrame.TryRead(Window(offset), out record, out frameBytes);
        }

        return status;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    private ReadOnlySpan<byte> Window(long offset) => _buffer.AsSpan((int)(offset - _start), (int)(_start + _count - offset));

    private void Load(long offset, int bytes)
    {
        if (_buffer.Length < bytes)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(bytes);
        }

        _start = offset;
        _count = 0;
        while (_count < bytes && RandomAccess.Read(handle, _buffer.AsSpan(_count, bytes - _count), offset + _count) is > 0 and var read)
        {
            _count += read;
        }
    }
}
