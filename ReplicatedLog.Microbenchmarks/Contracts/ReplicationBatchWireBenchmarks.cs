using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Microbenchmarks.Contracts;

/// <summary>
/// A replication batch on the wire: 64 entries of 128 bytes as the master writes them and a secondary reads them,
/// with the source-generated JSON of <see cref="WireJsonContext"/> that both sides use. Writing goes to a reused
/// buffer, so the figure is the serializer's alone.
/// </summary>
[MemoryDiagnoser]
public class ReplicationBatchWireBenchmarks
{
    public const int Entries = 64;
    public const int MessageBytes = 128;

    private readonly ArrayBufferWriter<byte> _buffer = new();
    private Utf8JsonWriter _writer = null!;

    internal AppendEntriesRequest Batch { get; private set; } = null!;

    /// <summary>The batch as JSON, which <see cref="Deserialize"/> reads.</summary>
    internal byte[] Json { get; private set; } = null!;

    /// <summary>What the last <see cref="Serialize"/> wrote.</summary>
    internal ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    [GlobalSetup]
    public void Setup()
    {
        var message = new string('x', MessageBytes);
        LogEntry[] entries = [.. Enumerable.Range(1_001, Entries).Select(i => new LogEntry(i, message, Generation: 2))];
        Batch = new AppendEntriesRequest("log-0123456789abcdef", entries, Generation: 2, Base: 1_000,
            PrevChecksum: LogChecksum.Format(LogChecksum.Empty));
        Json = JsonSerializer.SerializeToUtf8Bytes(Batch, WireJsonContext.Default.AppendEntriesRequest);
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Writes the batch; returns its length in bytes.</summary>
    [Benchmark]
    public int Serialize()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, Batch, WireJsonContext.Default.AppendEntriesRequest);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public AppendEntriesRequest? Deserialize() => JsonSerializer.Deserialize(Json, WireJsonContext.Default.AppendEntriesRequest);

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();
}
