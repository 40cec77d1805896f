using ReplicatedLog.Bench;
using ReplicatedLog.Bench.Options;

namespace ReplicatedLog.Tests.Unit;

/// <summary>The benchmark's command line: defaults a user can rely on, every option read, and every mistake one line with exit code 2.</summary>
public sealed class BenchOptionsTests
{
    [Fact]
    public void WithOnlyAUrlItMeasuresTenSecondsOfClosedLoopFrom64ClientsAtWAllWith128ByteMessages()
    {
        var options = Read("--url", "http://127.0.0.1:8000");

        Assert.Equal((64, "all", 128, false, null, false), (options.Clients, options.W.Text, options.Size, options.Keys, options.Rate, options.Json));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)), (options.EffectiveDuration, options.Warmup));
    }

    [Fact]
    public void AClusterItStartsIsWarmedUpLongerThanARunningOneOrRedis()
    {
        // A cluster just started compiles its hot paths for its first 15 to 20 s under load: 2 s would measure the JIT.
        Assert.Equal(BenchOptions.FreshClusterWarmup, Read("--start").Warmup);
        Assert.Equal(TimeSpan.FromSeconds(20), BenchOptions.FreshClusterWarmup);
        Assert.Equal(TimeSpan.FromSeconds(2), Read("--redis", "--start").Warmup);
        Assert.Equal(TimeSpan.FromSeconds(2), Read("--url", "http://127.0.0.1:8000").Warmup);
        Assert.Equal(TimeSpan.FromSeconds(5), Read("--start", "--warmup", "5s").Warmup);
    }

    [Fact]
    public void EveryOptionIsRead()
    {
        var options = Read("--start", "--secondaries", "4", "--durable", "-c", "8", "--count", "500", "--w", "Majority", "--size", "1024",
            "--keys", "--rate", "2000", "--warmup", "500ms", "--timeout", "1m", "--json", "out.json");

        Assert.Equal((true, 4, true, 8, 500L, "majority", 1024, true, 2000),
            (options.Start, options.Secondaries, options.Durable, options.Clients, options.Count, options.W.Text, options.Size, options.Keys, options.Rate));
        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1), true, "out.json"), (options.Warmup, options.Timeout, options.Json, options.JsonPath));
        Assert.Null(options.EffectiveDuration);
        Assert.Equal((true, null), (Read("--url", "http://h:1", "--json").Json, Read("--url", "http://h:1", "--json").JsonPath));
        Assert.Equal(TimeSpan.FromSeconds(2.5), Read("--url", "http://h:1", "-d", "2.5").EffectiveDuration);
    }

    [Fact]
    public void RedisModeIsReadWithItsOwnCluster()
    {
        var started = Read("--redis", "--start", "--secondaries", "1", "--durable", "--count", "200");
        var running = Read("--redis", "--url", "redis://127.0.0.1:6379", "--w", "2", "--wait-timeout", "50ms");

        Assert.Equal((true, true, 1, true, 200L), (started.Redis, started.Start, started.SecondaryCount, started.Durable, started.Count));
        Assert.Equal((true, false, "redis", "2", TimeSpan.FromMilliseconds(50)), (running.Redis, running.Start, running.Url!.Scheme, running.W.Text, running.WaitTimeout));
        Assert.Equal((false, null), (Read("--start").Redis, Read("--start").WaitTimeout));
    }

    [Theory]
    [InlineData("3", "3")]
    [InlineData("all", "\"all\"")]
    [InlineData("MAJORITY", "\"majority\"")]
    public void AWriteConcernIsSentAsTheMasterReadsIt(string given, string json) => Assert.Equal(json, WriteConcern.Parse(given)!.Json);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("most")]
    [InlineData("2.5")]
    public void AnythingElseIsNoWriteConcern(string given) => Assert.Null(WriteConcern.Parse(given));

    [Theory]
    [InlineData("Give --url URL of a running master, or --start", "--count", "5")]
    [InlineData("Give either --url (a running master) or --start (a cluster of the benchmark's own), not both.", "--start", "--url", "http://h:1")]
    [InlineData("--durable goes with --start", "--url", "http://h:1", "--durable")]
    [InlineData("--secondaries goes with --start", "--url", "http://h:1", "--secondaries", "2")]
    [InlineData("Give --duration or --count, not both.", "--start", "--duration", "5", "--count", "5")]
    [InlineData("--clients takes 1 to 10000; got 0.", "--start", "--clients", "0")]
    [InlineData("--size takes 1 to 1048576 bytes", "--start", "--size", "0")]
    [InlineData("--rate takes appends per second, 1 or more; got 0.", "--start", "--rate", "0")]
    [InlineData("--w takes a number of nodes (1 or more), majority or all; got 'most'.", "--start", "--w", "most")]
    [InlineData("--w 4 asks for more nodes than the cluster has: a master and 2 secondaries make 3.", "--start", "--w", "4")]
    [InlineData("--duration takes seconds (10), or a number with ms, s or m (500ms, 10s, 2m); got '3x'.", "--start", "--duration", "3x")]
    [InlineData("--url takes an http:// or https:// address", "--url", "ftp://h:1")]
    [InlineData("--url takes an absolute address, e.g. http://127.0.0.1:8000 (or redis://127.0.0.1:6379 with --redis); got 'localhost'.", "--url", "localhost")]
    [InlineData("Give --url redis://HOST:PORT of a running Redis primary, or --start to start one", "--redis", "--count", "5")]
    [InlineData("Give either --url (a running Redis) or --start (a Redis of the benchmark's own), not both.", "--redis", "--start", "--url", "redis://h:1")]
    [InlineData("--url redis://h:1/ is a Redis address: add --redis to append to Redis.", "--url", "redis://h:1")]
    [InlineData("--url with --redis takes redis://HOST or redis://HOST:PORT (no password, database 0)", "--redis", "--url", "http://h:1")]
    [InlineData("--url with --redis takes redis://HOST or redis://HOST:PORT (no password, database 0)", "--redis", "--url", "redis://:secret@h:1")]
    [InlineData("--keys has no Redis counterpart", "--redis", "--start", "--keys")]
    [InlineData("--durable goes with --start: against --url the primary's persistence is what it is.", "--redis", "--url", "redis://h:1", "--durable")]
    [InlineData("--w 4 asks for more nodes than Redis will have: a primary and 2 replicas make 3.", "--redis", "--start", "--w", "4")]
    [InlineData("--wait-timeout must be more than 0", "--start", "--wait-timeout", "0")]
    [InlineData("Unrecognized command or argument '--clinets'", "--start", "--clinets", "3")]
    public async Task ABadOptionStopsTheBenchmarkWithALineThatSaysWhatIsWrongAndExitCode2(string expected, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());

        var exitCode = await BenchApp.RunAsync(args, output, error, live: false, CancellationToken.None);

        Assert.Equal(BenchApp.BadOptions, exitCode);
        Assert.Contains($"bench | {expected}", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    private static BenchOptions Read(params string[] args)
    {
        var (options, errors) = BenchCommandLine.Read(args);
        Assert.True(options is not null, string.Join(Environment.NewLine, errors));
        return options;
    }
}
