using System.Text;
using ReplicatedLog.Bench.Options;

namespace ReplicatedLog.Bench.Load;

/// <summary>
/// The bodies of the appends, built before the run: one body shared by every append, or with <c>--keys</c> a prefix
/// and suffix around a key made of the run's id and the append's number, so each key is new even against a master
/// that saw an earlier run.
/// </summary>
public sealed class AppendBodies
{
    private readonly byte[] _body;
    private readonly byte[] _keyPrefix;
    private readonly bool _keys;

    public AppendBodies(int size, WriteConcern w, bool keys, string runId)
    {
        var message = new string('x', size);
        _keys = keys;
        _body = Encoding.UTF8.GetBytes($"{{\"message\":\"{message}\",\"w\":{w.Json}}}");
        _keyPrefix = Encoding.UTF8.GetBytes($"{{\"message\":\"{message}\",\"w\":{w.Json},\"id\":\"{runId}-");
    }

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
