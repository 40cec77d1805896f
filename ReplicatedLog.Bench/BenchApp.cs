using System.CommandLine;
using System.Text.Json;
using ReplicatedLog.Bench.Load;
using ReplicatedLog.Bench.Options;
using ReplicatedLog.Bench.Reporting;
using ReplicatedLog.Bench.Targets;

namespace ReplicatedLog.Bench;

/// <summary>
/// One run of the benchmark, from the command line to the exit code: read the options (2 when they are wrong), start
/// a cluster (or Redis) or reach a running one, warm up, measure, report (text and/or JSON), stop what it started,
/// and return 0 only when every append was acknowledged, else 1, having said why on the error writer.
/// </summary>
public static class BenchApp
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int BadOptions = 2;

    /// <param name="live">Show the progress line (a terminal, not a pipe or a test); ignored when JSON goes to <paramref name="output"/>.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool live, CancellationToken cancellationToken)
    {
        var parse = BenchCommandLine.Create().Parse(args);
        if (parse.Errors.Count == 0 && parse.Action is not null)
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        }

        var (options, errors) = BenchCommandLine.Read(parse);
        if (options is null)
        {
            foreach (var line in errors)
            {
                error.WriteLine($"bench | {line}");
            }

            error.WriteLine("bench | --help lists the options.");
            return BadOptions;
        }

        // With JSON on standard output, that is all standard output gets; what the run is doing goes to standard error.
        var jsonToOutput = options.Json && options.JsonPath is null;
        var text = jsonToOutput ? TextWriter.Null : output;
        var status = jsonToOutput ? error : output;

        try
        {
            await using var target = options.Redis
                ? await RedisTarget.OpenAsync(options, status, cancellationToken)
                : (IBenchTarget)await ReplicatedLogTarget.OpenAsync(options, status, cancellationToken);

            status.WriteLine($"Appending to {target.Info.System} at {target.Info.Url} ({target.Append}): {ReportText.Describe(options)}");
            var runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..6]);
            if (options.Warmup > TimeSpan.Zero)
            {
                var warmup = await new AppendLoad(target.Senders($"{runId}-warmup"), options.Clients, options.Rate)
                    .RunAsync(options.Warmup, count: null, onProgress: null, cancellationToken);
                if (warmup.Errors.Total > 0)
                {
                    error.WriteLine($"bench | FAILED in the warm-up: {warmup.Errors.Total} of {warmup.Acknowledged + warmup.Errors.Total} appends failed " +
                        $"({warmup.Errors.Describe()}){(warmup.Errors.First is { } first ? $"; first: {first}" : "")}");
                    return Failed;
                }
            }

            var load = new AppendLoad(target.Senders(runId), options.Clients, options.Rate);
            var result = live && !jsonToOutput
                ? await ProgressDisplay.RunAsync(progress => load.RunAsync(options.EffectiveDuration, options.Count, progress, cancellationToken))
                : await load.RunAsync(options.EffectiveDuration, options.Count, onProgress: null, cancellationToken);

            var report = BenchReport.From(options, target.Info, result);
            ReportText.Write(text, report);
            if (options.Json)
            {
                var json = JsonSerializer.Serialize(report, BenchJsonContext.Default.BenchReport);
                if (options.JsonPath is { } path)
                {
                    await File.WriteAllTextAsync(path, json + Environment.NewLine, cancellationToken);
                    status.WriteLine($"JSON written to {Path.GetFullPath(path)}");
                }
                else
                {
                    output.WriteLine(json);
                }
            }

            if (!report.Ok)
            {
                error.WriteLine($"bench | {ReportText.Failure(report)}");
                return Failed;
            }

            return Success;
        }
        catch (TargetUnavailableException ex)
        {
            error.WriteLine($"bench | FAILED: {ex.Message}");
            return Failed;
        }
    }
}
