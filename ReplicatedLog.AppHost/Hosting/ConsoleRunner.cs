using System.Runtime.InteropServices;
using ReplicatedLog.AppHost.Hosting.Events;

namespace ReplicatedLog.AppHost.Hosting;

/// <summary>
/// The AppHost on a terminal: checks the ports, starts the topology in order, prints a table of the resources,
/// then every resource's output prefixed with its name in its own colour. Reports a child that exits on its own,
/// and on Ctrl+C or SIGTERM stops every child (dependents first; SIGTERM, then SIGKILL after the grace period) and
/// reports how each one ended before it exits. The children run in process groups of their own, so Ctrl+C on the
/// terminal reaches the AppHost alone.
/// </summary>
public static class ConsoleRunner
{
    private static readonly string[] Colours = ["\e[36m", "\e[33m", "\e[35m", "\e[32m", "\e[34m", "\e[91m", "\e[96m", "\e[93m"];
    private static readonly bool UseColour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private static readonly Lock ConsoleGate = new();

    public static async Task<int> RunAsync(ClusterHost host)
    {
        var taken = host.PortsInUse();
        if (taken.Count > 0)
        {
            foreach (var problem in taken)
            {
                Error($"Cannot start: {problem}. Stop what uses it, or choose other ports with --base-port.");
            }

            return 2;
        }

        using var stopping = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        var width = host.Resources.Max(r => r.Name.Length);
        var pending = new List<(ServiceResource, string)>();
        var streaming = false;
        foreach (var (resource, index) in host.Resources.Select((r, i) => (r, i)))
        {
            var prefix = Colour(index, resource.Name.PadRight(width)) + " | ";
            resource.OutputWritten += (r, line) =>
            {
                lock (ConsoleGate)
                {
                    if (streaming)
                    {
                        Console.Out.WriteLine(prefix + line);
                    }
                    else
                    {
                        pending.Add((r, prefix + line));
                    }
                }
            };
            resource.ExitedUnexpectedly += (r, code) => Error(
                $"{r.Name} exited on its own with code {code}; the others keep running. Its last lines:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", r.Output.TakeLast(15)));
        }

        Info($"Starting {host.Resources.Count} resources; children are {(ProcessLauncher.KillsChildrenOnDeath ? "killed by the kernel if this AppHost dies" : "told through their standard input if this AppHost dies")}"
            + $"{(ProcessLauncher.IsolatesChildren ? "; each runs in a process group of its own, so Ctrl+C reaches this AppHost alone, which stops them" : "")}.");
        try
        {
            await host.StartAllAsync(stopping.Token);
        }
        catch (Exception ex) when (ex is ResourceFailedException or OperationCanceledException or FileNotFoundException)
        {
            if (ex is OperationCanceledException)
            {
                await StopAndReportAsync(host);
                return 0;
            }

            Error(ex.Message);
            await host.StopAllAsync();
            return 1;
        }

        lock (ConsoleGate)
        {
            PrintTable(host);
            Console.Out.WriteLine($"Cluster token for this run (a node you start by hand needs it as Cluster__Token): {host.ClusterToken}");
            Console.Out.WriteLine();
            foreach (var (_, line) in pending)
            {
                Console.Out.WriteLine(line);
            }

            streaming = true;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM.
        }

        await StopAndReportAsync(host);
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // stop the children first, then exit on our own
            stopping.Cancel();
        }
    }

    /// <summary>Stops every resource, then says how each one ended and whether that was a clean stop.</summary>
    private static async Task StopAndReportAsync(ClusterHost host)
    {
        Info($"Stopping every resource, dependents first (SIGTERM, SIGKILL after {host.Settings.GracePeriodMs} ms)...");
        await host.StopAllAsync();
        foreach (var resource in host.Resources)
        {
            Info($"{resource.Name}: {Ending(resource, host.Settings.GracePeriodMs)}{(resource.ExitCode is { } code ? $" (exit code {code})" : "")}");
        }

        var unclean = host.Resources.Where(r => r.Ending is not (ResourceEnding.Stopped or null)).ToList();
        if (unclean.Count == 0)
        {
            Info("Clean stop: every resource that ran exited on SIGTERM within the grace period.");
        }
        else
        {
            Error($"Not a clean stop: {string.Join(", ", unclean.Select(r => $"{r.Name} {Ending(r, host.Settings.GracePeriodMs)}"))}.");
        }
    }

    private static string Ending(ServiceResource resource, int graceMs) => resource.Ending switch
    {
        ResourceEnding.Stopped => "stopped",
        ResourceEnding.KilledAfterGracePeriod => $"killed after the {graceMs} ms grace period",
        ResourceEnding.Killed => "killed",
        ResourceEnding.ExitedOnItsOwn => "had exited on its own",
        _ => "never started",
    };

    private static void PrintTable(ClusterHost host)
    {
        string[] header = ["RESOURCE", "STATE", "URL", "DELAY", "PID"];
        var rows = host.Resources.Select(r => new[]
        {
            r.Name,
            r.State.ToString(),
            r.Url.ToString(),
            r.Environment.TryGetValue("Replication__DelayMs", out var delay) ? $"{delay} ms" : "-",
            r.ProcessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        Console.Out.WriteLine();
        Console.Out.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
        foreach (var row in rows)
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))));
        }

        Console.Out.WriteLine();
    }

    private static string Colour(int index, string text) =>
        UseColour ? $"{Colours[index % Colours.Length]}{text}\e[0m" : text;

    private static void Info(string message)
    {
        lock (ConsoleGate)
        {
            Console.Out.WriteLine($"apphost | {message}");
        }
    }

    private static void Error(string message)
    {
        lock (ConsoleGate)
        {
            Console.Error.WriteLine($"apphost | {(UseColour ? "\e[31m" + message + "\e[0m" : message)}");
        }
    }
}
