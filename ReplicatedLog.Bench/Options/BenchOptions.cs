namespace ReplicatedLog.Bench.Options;

/// <summary>
/// One benchmark run: what it appends to (our master, or Redis with <see cref="Redis"/>; running, or started by the
/// benchmark), the load (clients, closed loop or a fixed rate, for a duration or a count), what each append asks for
/// (w, message size, idempotency keys, how long to wait for w) and where the result goes. <see cref="Validate"/> says
/// what is wrong with a combination, one line per problem.
/// </summary>
public sealed record BenchOptions
{
    public const int MaxMessageBytes = 1024 * 1024;
    public const int MaxClients = 10_000;
    public const int DefaultRedisPort = 6379;
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Replay the load against Redis instead of our master (<c>--redis</c>): each append is RPUSH to a list, with WAIT
    /// for w - 1 replicas sent with it.
    /// </summary>
    public bool Redis { get; init; }

    /// <summary>The master (http://) or, with <see cref="Redis"/>, the primary (redis://) to append to (<c>--url</c>); null when the benchmark starts its own.</summary>
    public Uri? Url { get; init; }

    /// <summary>
    /// Start a master and <see cref="Secondaries"/> secondaries, or with <see cref="Redis"/> a primary and as many
    /// replicas, as processes on free ports (<c>--start</c>).
    /// </summary>
    public bool Start { get; init; }

    /// <summary>How many secondaries (Redis: replicas) <c>--start</c> starts; null when not given (<see cref="SecondaryCount"/>: 2).</summary>
    public int? Secondaries { get; init; }

    public int SecondaryCount => Secondaries ?? 2;

    /// <summary>
    /// The started nodes keep their logs on disk, fsynced before each acknowledgement (<c>--durable</c>); else in
    /// memory. With <see cref="Redis"/>: the primary runs with <c>appendonly yes</c> and <c>appendfsync always</c>.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>Concurrent clients, each with at most one append in flight.</summary>
    public int Clients { get; init; } = 64;

    /// <summary>How long to measure; null when <see cref="Count"/> is set.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>How many appends to measure; null when measuring for a <see cref="Duration"/>.</summary>
    public long? Count { get; init; }

    public WriteConcern W { get; init; } = WriteConcern.All;

    /// <summary>Bytes of message text in each append.</summary>
    public int Size { get; init; } = 128;

    /// <summary>Each append carries an idempotency key of its own (<c>"id"</c>), so the master records and checks it.</summary>
    public bool Keys { get; init; }

    /// <summary>
    /// Fixed-rate mode: appends per second over all clients, each scheduled at its intended time and timed from it, so
    /// a stall shows in the latency of every append it delayed (no coordinated omission). Null: closed loop.
    /// </summary>
    public int? Rate { get; init; }

    /// <summary>
    /// How long each append waits for its write concern before it fails: <c>"timeoutMs"</c> in the body (the master
    /// then answers 202), or WAIT's timeout for Redis (then a short write). Null: as long as it takes (WAIT's 0).
    /// </summary>
    public TimeSpan? WaitTimeout { get; init; }

    /// <summary>Load run first and not measured: connections, JIT, the first batches.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The warm-up against a cluster the tool starts (<c>--start</c>, not Redis): under load its master spends most of
    /// its first 15 to 20 s compiling (tiered JIT with dynamic PGO: 5.7 s of the master's CPU in its first 15 s at 64
    /// clients), so 2 s of warm-up measured the JIT: 2,990 appends/s over the next 5 s, 12,806/s after 20 s.
    /// </summary>
    public static readonly TimeSpan FreshClusterWarmup = TimeSpan.FromSeconds(20);

    /// <summary>How long one append may take before it counts as timed out.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Write the result as JSON: to standard output when <see cref="JsonPath"/> is null, else to that file.</summary>
    public bool Json { get; init; }

    public string? JsonPath { get; init; }

    /// <summary>The measured phase's length when no count is given.</summary>
    public TimeSpan? EffectiveDuration => Count is null ? Duration ?? DefaultDuration : null;

    /// <summary>What is wrong with this combination, one line each; empty when it can run.</summary>
    public IEnumerable<string> Validate()
    {
        if (Url is null == !Start)
        {
            yield return (Start, Redis) switch
            {
                (true, false) => "Give either --url (a running master) or --start (a cluster of the benchmark's own), not both.",
                (true, true) => "Give either --url (a running Redis) or --start (a Redis of the benchmark's own), not both.",
                (false, false) => "Give --url URL of a running master, or --start to start a cluster (a master and --secondaries N).",
                (false, true) => "Give --url redis://HOST:PORT of a running Redis primary, or --start to start one (and --secondaries N replicas).",
            };
        }

        if (Url is { } url && !Redis && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            yield return url.Scheme == "redis"
                ? $"--url {url} is a Redis address: add --redis to append to Redis."
                : $"--url takes an http:// or https:// address, e.g. http://127.0.0.1:8000; got '{url}'.";
        }

        if (Url is { } redis && Redis && (redis.Scheme != "redis" || redis.UserInfo.Length > 0 || redis.AbsolutePath is not ("" or "/")))
        {
            yield return $"--url with --redis takes redis://HOST or redis://HOST:PORT (no password, database 0), e.g. redis://127.0.0.1:6379; got '{redis}'.";
        }

        if (!Start && Secondaries is not null)
        {
            yield return "--secondaries goes with --start: against --url the cluster is what it is.";
        }

        if (!Start && Durable)
        {
            yield return $"--durable goes with --start: against --url the {(Redis ? "primary's persistence" : "master's storage")} is what it is.";
        }

        if (Redis && Keys)
        {
            yield return "--keys has no Redis counterpart (RPUSH takes no idempotency key): leave it out with --redis.";
        }

        if (WaitTimeout is { } wait && (wait <= TimeSpan.Zero || wait.TotalMilliseconds > int.MaxValue))
        {
            yield return $"--wait-timeout must be more than 0 (leave it out to wait as long as it takes); got {wait.TotalSeconds} s.";
        }

        if (Secondaries is < 0 or > 100)
        {
            yield return $"--secondaries takes 0 to 100; got {Secondaries}.";
        }

        if (Clients is < 1 or > MaxClients)
        {
            yield return $"--clients takes 1 to {MaxClients}; got {Clients}.";
        }

        if (Duration is not null && Count is not null)
        {
            yield return "Give --duration or --count, not both.";
        }

        if (Duration is { } d && d <= TimeSpan.Zero)
        {
            yield return $"--duration must be more than 0; got {d.TotalSeconds} s.";
        }

        if (Count is < 1)
        {
            yield return $"--count must be 1 or more; got {Count}.";
        }

        if (Size is < 1 or > MaxMessageBytes)
        {
            yield return $"--size takes 1 to {MaxMessageBytes} bytes (the master's default Log:MaxMessageBytes); got {Size}.";
        }

        if (Rate is < 1)
        {
            yield return $"--rate takes appends per second, 1 or more; got {Rate}.";
        }

        if (Warmup < TimeSpan.Zero)
        {
            yield return $"--warmup must be 0 or more; got {Warmup.TotalSeconds} s.";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return $"--timeout must be more than 0; got {Timeout.TotalSeconds} s.";
        }

        if (Start && W.Nodes is { } nodes && nodes > 1 + SecondaryCount)
        {
            yield return Redis
                ? $"--w {nodes} asks for more nodes than Redis will have: a primary and {SecondaryCount} replicas make {1 + SecondaryCount}."
                : $"--w {nodes} asks for more nodes than the cluster has: a master and {SecondaryCount} secondaries make {1 + SecondaryCount}.";
        }
    }
}
