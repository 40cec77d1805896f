using System.Collections.Concurrent;
using System.Globalization;

namespace ReplicatedLog.Bench.Load;

/// <summary>Failed appends counted by kind (each status on its own), from any number of clients at once, with the first detail of each kind.</summary>
public sealed class ErrorTally
{
    private readonly ConcurrentDictionary<int, long> _statuses = new();
    private readonly ConcurrentDictionary<AppendOutcomeKind, string> _firstDetails = new();
    private long _shortWrites;
    private long _errorReplies;
    private long _timeouts;
    private long _connection;

    public long Total => _statuses.Values.Sum() + Interlocked.Read(ref _shortWrites) + Interlocked.Read(ref _errorReplies) +
        Interlocked.Read(ref _timeouts) + Interlocked.Read(ref _connection);

    public void Add(AppendOutcome outcome)
    {
        switch (outcome.Kind)
        {
            case AppendOutcomeKind.Status:
                _statuses.AddOrUpdate(outcome.Status, 1, (_, n) => n + 1);
                break;
            case AppendOutcomeKind.ShortWrite:
                Interlocked.Increment(ref _shortWrites);
                break;
            case AppendOutcomeKind.ErrorReply:
                Interlocked.Increment(ref _errorReplies);
                break;
            case AppendOutcomeKind.Timeout:
                Interlocked.Increment(ref _timeouts);
                break;
            case AppendOutcomeKind.Connection:
                Interlocked.Increment(ref _connection);
                break;
            default:
                return;
        }

        if (outcome.Detail is { } detail)
        {
            _firstDetails.TryAdd(outcome.Kind, detail);
        }
    }

    public ErrorCounts Snapshot() => new(
        Total,
        _statuses.OrderBy(s => s.Key).ToDictionary(s => s.Key.ToString(CultureInfo.InvariantCulture), s => s.Value),
        Interlocked.Read(ref _shortWrites),
        Interlocked.Read(ref _errorReplies),
        Interlocked.Read(ref _timeouts),
        Interlocked.Read(ref _connection),
        _firstDetails.OrderBy(d => d.Key).Select(d => d.Value).FirstOrDefault());
}

/// <summary>
/// Failed appends: <see cref="Status"/> per status code (as text, for JSON), <see cref="ShortWrites"/> (Redis's WAIT
/// counted fewer replicas than w asks), <see cref="ErrorReplies"/> (Redis answered an error), <see cref="Timeouts"/>,
/// <see cref="Connection"/> errors (refused, reset), and the first message seen.
/// </summary>
public sealed record ErrorCounts(
    long Total, IReadOnlyDictionary<string, long> Status, long ShortWrites, long ErrorReplies, long Timeouts, long Connection, string? First)
{
    public static readonly ErrorCounts None = new(0, new Dictionary<string, long>(), 0, 0, 0, 0, null);

    /// <summary>One line: <c>status 503 ×10, short write ×3, timeout ×2, connection ×1</c>.</summary>
    public string Describe() => string.Join(", ",
        Status.Select(s => $"status {s.Key} ×{s.Value}")
            .Concat(ShortWrites > 0 ? [$"short write ×{ShortWrites}"] : [])
            .Concat(ErrorReplies > 0 ? [$"error reply ×{ErrorReplies}"] : [])
            .Concat(Timeouts > 0 ? [$"timeout ×{Timeouts}"] : [])
            .Concat(Connection > 0 ? [$"connection ×{Connection}"] : []));
}
