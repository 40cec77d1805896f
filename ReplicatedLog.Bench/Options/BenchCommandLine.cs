using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ReplicatedLog.Bench.Options;

/// <summary>
/// The benchmark's command line (System.CommandLine): the options, their help, and <see cref="Read"/>, which turns a
/// parse into <see cref="BenchOptions"/> or into the lines that say what is wrong.
/// </summary>
public static class BenchCommandLine
{
    private static readonly Option<bool> Redis = new("--redis") { Description = "Replay the load against Redis: RPUSH to a list with WAIT for w-1 replicas sent with it (RPUSH alone for w=1), as ../shared/bench/perf-vs-redis.sh does" };
    private static readonly Option<Uri?> Url = new("--url") { Description = "A running master to append to, e.g. http://127.0.0.1:8000; with --redis a running primary, e.g. redis://127.0.0.1:6379", CustomParser = ParseUrl, HelpName = "URL" };
    private static readonly Option<bool> Start = new("--start") { Description = "Start a master and --secondaries N secondaries on free ports (from the solution's build) and stop them after; with --redis, redis-server as a primary and N replicas" };
    private static readonly Option<int?> Secondaries = new("--secondaries") { Description = "With --start: how many secondaries (Redis: replicas) [default: 2]", HelpName = "N" };
    private static readonly Option<bool> Durable = new("--durable") { Description = "With --start: every node keeps its log on disk in a temporary directory, fsynced before it acknowledges (Storage:Fsync=Always); without it, in memory. With --redis: the primary runs with appendonly yes and appendfsync always" };
    private static readonly Option<int> Clients = new("--clients", "-c") { Description = "Concurrent clients, each with one append in flight", DefaultValueFactory = _ => 64, HelpName = "N" };
    private static readonly Option<TimeSpan?> Duration = new("--duration", "-d") { Description = "How long to measure: 10, 10s, 500ms, 2m [default: 10s unless --count]", CustomParser = ParseDuration, HelpName = "TIME" };
    private static readonly Option<long?> Count = new("--count", "-n") { Description = "How many appends to measure, instead of a duration", HelpName = "N" };
    private static readonly Option<string> W = new("--w", "-w") { Description = "Write concern of each append: a number of nodes (the master included), majority or all", DefaultValueFactory = _ => "all", HelpName = "W" };
    private static readonly Option<int> Size = new("--size", "-s") { Description = "Bytes of message text in each append", DefaultValueFactory = _ => 128, HelpName = "BYTES" };
    private static readonly Option<bool> Keys = new("--keys") { Description = "Give each append an idempotency key of its own (\"id\"), which the master records and checks" };
    private static readonly Option<int?> Rate = new("--rate", "-r") { Description = "Fixed-rate mode: appends per second over all clients, each timed from its intended send time (no coordinated omission); without it, closed loop", HelpName = "PER_SECOND" };
    private static readonly Option<TimeSpan?> WaitTimeout = new("--wait-timeout") { Description = "How long each append waits for w before it fails: \"timeoutMs\" in the body (the master then answers 202); with --redis, WAIT's timeout (then a short write) [default: as long as it takes]", CustomParser = ParseDuration, HelpName = "TIME" };
    private static readonly Option<TimeSpan?> Warmup = new("--warmup") { Description = "Load run first and not measured; 0 for none [default: 2s; 20s with --start, whose fresh cluster compiles its hot paths for its first 15 to 20 s under load]", CustomParser = ParseDuration, HelpName = "TIME" };
    private static readonly Option<TimeSpan?> Timeout = new("--timeout") { Description = "How long one append may take before it counts as a timeout [default: 30s]", CustomParser = ParseDuration, HelpName = "TIME" };
    private static readonly Option<string?> Json = new("--json") { Description = "Write the result as JSON: to standard output, or to FILE (the progress display and the text report are left out on standard output)", Arity = ArgumentArity.ZeroOrOne, HelpName = "FILE" };

    /// <summary>The root command with every option; it has no action of its own, so only --help and --version invoke anything.</summary>
    public static RootCommand Create()
    {
        var command = new RootCommand(
            "Appends to a ReplicatedLog master (or with --redis to Redis) from concurrent clients and reports throughput and latency (p50 to max, from an HdrHistogram). " +
            "Exit code 0: every append succeeded; 1: some failed, or the cluster (or Redis) did not start or answer, or redis-server is not installed; 2: bad options.");
        foreach (var option in new Option[] { Redis, Url, Start, Secondaries, Durable, Clients, Duration, Count, W, Size, Keys, Rate, WaitTimeout, Warmup, Timeout, Json })
        {
            command.Options.Add(option);
        }

        return command;
    }

    /// <summary>The options of a parse, or what is wrong with it (parse errors first, then the combination's).</summary>
    public static (BenchOptions? Options, IReadOnlyList<string> Errors) Read(ParseResult parse)
    {
        if (parse.Errors.Count > 0)
        {
            return (null, parse.Errors.Select(e => e.Message).ToList());
        }

        var w = WriteConcern.Parse(parse.GetValue(W)!);
        var options = new BenchOptions
        {
            Redis = parse.GetValue(Redis),
            Url = parse.GetValue(Url),
            Start = parse.GetValue(Start),
            Secondaries = parse.GetValue(Secondaries),
            Durable = parse.GetValue(Durable),
            Clients = parse.GetValue(Clients),
            Duration = parse.GetValue(Duration),
            Count = parse.GetValue(Count),
            W = w ?? WriteConcern.All,
            Size = parse.GetValue(Size),
            Keys = parse.GetValue(Keys),
            Rate = parse.GetValue(Rate),
            WaitTimeout = parse.GetValue(WaitTimeout),
            Warmup = parse.GetValue(Warmup)
                ?? (parse.GetValue(Start) && !parse.GetValue(Redis) ? BenchOptions.FreshClusterWarmup : Defaults.Warmup),
            Timeout = parse.GetValue(Timeout) ?? Defaults.Timeout,
            Json = parse.GetResult(Json) is not null,
            JsonPath = parse.GetValue(Json),
        };
        var errors = options.Validate().ToList();
        if (w is null)
        {
            errors.Insert(0, $"--w takes a number of nodes (1 or more), majority or all; got '{parse.GetValue(W)}'.");
        }

        return (errors.Count == 0 ? options : null, errors);
    }

    /// <summary>Parses and reads <paramref name="args"/> (for callers that need no help output).</summary>
    public static (BenchOptions? Options, IReadOnlyList<string> Errors) Read(string[] args) => Read(Create().Parse(args));

    private static readonly BenchOptions Defaults = new();

    private static Uri? ParseUrl(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            return url;
        }

        result.AddError($"--url takes an absolute address, e.g. http://127.0.0.1:8000 (or redis://127.0.0.1:6379 with --redis); got '{text}'.");
        return null;
    }

    /// <summary>Seconds as a plain number, or a number with ms, s or m.</summary>
    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[0].Value.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return TimeSpan.FromSeconds(value * unit);
        }

        result.AddError($"{(result.Parent as OptionResult)?.Option.Name ?? "A duration"} takes seconds (10), or a number with ms, s or m (500ms, 10s, 2m); got '{text}'.");
        return null;
    }
}
