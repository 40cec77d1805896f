using System.Text;
using ReplicatedLog.Bench.Options;

namespace ReplicatedLog.Bench.Load;

/// <summary>
/// The bodies of the appends, built before the run: one body shared by every append, or with <c>--keys</c> a prefix
/// and suffix around a key made of the run's id and the append's number, so each key is new even against a master
/// that saw an earlier run. With a wait timeout each body carries it as <c>"timeoutMs"</c>.
/// </summary>
public sealed class AppendBodies
{
    private readonly byte[] _body;
    private readonly byte[] _keyPrefix;
    private readonly bool _keys;

    public AppendBodies(int size, WriteConcern w, bool keys, string runId, TimeSpan? waitTimeout = null)
    {
        var fields = $"\"message\":\"{new string('x', size)}\",\"w\":{w.Json}" +
            (waitTimeout is { } timeout ? $",\"timeoutMs\":{WaitMilliseconds(timeout)}" : "");
        _keys = keys;
        _body = Encoding.UTF8.GetBytes($"{{{fields}}}");
        _keyPrefix = Encoding.UTF8.GetBytes($"{{{fields},\"id\":\"{runId}-");
    }

    /// <summary>A wait timeout in whole milliseconds, at least 1, as both the master's <c>timeoutMs</c> and Redis's WAIT take it.</summary>
    public static long WaitMilliseconds(TimeSpan timeout) => Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds));

    /// <summary>The body of append number <paramref name="n"/> (its key's suffix; the same body when there are no keys).</summary>
    public byte[] For(long n)
    {
        if (!_keys)
        {
            return _body;
        }

        Span<byte> digits = stackalloc byte[20];
        n.TryFormat(digits, out var length, default, System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[_keyPrefix.Length + length + 2];
        _keyPrefix.CopyTo(body, 0);
        digits[..length].CopyTo(body.AsSpan(_keyPrefix.Length));
        body[^2] = (byte)'"';
        body[^1] = (byte)'}';
        return body;
    }
}
