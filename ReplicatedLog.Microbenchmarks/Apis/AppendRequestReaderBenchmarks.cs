using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using ReplicatedLog.Master.Apis;
using ReplicatedLog.Master.Replication;

namespace ReplicatedLog.Microbenchmarks.Apis;

/// <summary>
/// The master's reader of <c>POST /messages</c>: from the request (its body a 128-byte message with w and an
/// idempotency key, as a client sends it) to the validated message, write concern and key, with the master's default
/// options. The request is an in-memory <see cref="DefaultHttpContext"/> whose body is read again each time: Kestrel
/// is not in the figure.
/// </summary>
[MemoryDiagnoser]
public class AppendRequestReaderBenchmarks
{
    public const int MessageBytes = 128;

    private readonly int _maxMessageBytes = new LogOptions().MaxMessageBytes;
    private readonly WriteConcern _defaultConcern = new ReplicationOptions().DefaultConcern;
    private MemoryStream _body = null!;
    private HttpRequest _request = null!;

    internal static string Message { get; } = new('x', MessageBytes);

    internal static string Key => "client-7-42";

    /// <summary>What the last read gave (null when it refused the request).</summary>
    internal AppendRequest? Parsed { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var json = Encoding.UTF8.GetBytes($$"""{"message": "{{Message}}", "w": 3, "id": "{{Key}}"}""");
        _body = new MemoryStream(json, writable: false);
        var http = new DefaultHttpContext();
        http.Request.Method = HttpMethods.Post;
        http.Request.ContentType = "application/json";
        http.Request.ContentLength = json.Length;
        http.Request.Body = _body;
        _request = http.Request;
    }

    /// <summary>Reads one append; true when it was valid.</summary>
    [Benchmark]
    public async Task<bool> ReadAppend()
    {
        _body.Position = 0;
        (Parsed, var problem) = await AppendRequestReader.ReadAsync(_request, _maxMessageBytes, _defaultConcern, CancellationToken.None)
            .ConfigureAwait(false);
        return problem is null;
    }

    [GlobalCleanup]
    public void Cleanup() => _body.Dispose();
}
