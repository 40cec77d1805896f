using System.Globalization;
using ReplicatedLog.AppHost.Hosting.Dashboard;
using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.AppHost.Hosting.Runtime;

namespace ReplicatedLog.AppHost.Hosting.Terminal;

/// <summary>
/// The AppHost on a terminal, as one subscriber of <see cref="ClusterHost.Events"/>: every resource's output, line by
/// line, prefixed with its name in its own colour (held back until the resource table is printed), and a resource
/// that exits on its own reported at once with its last lines. Also prints the AppHost's own lines, prefixed
/// <c>apphost | </c>: the table, the run's parameters, the stop report.
/// </summary>
public sealed class ConsoleView
{
    private const string Self = "apphost | ";
    private static readonly string[] Colours = ["\e[36m", "\e[33m", "\e[35m", "\e[32m", "\e[34m", "\e[91m", "\e[96m", "\e[93m"];

    private readonly bool _useColour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private readonly Lock _console = new();
    private readonly ClusterHost _host;
    private readonly ResourceSubscription _subscription;
    private readonly Dictionary<string, string> _prefixes;
    private readonly List<string> _heldBack = [];
    private readonly Task _showing;
    private bool _streaming;

    /// <summary>Subscribes at once, so that nothing that happens from now on is missed.</summary>
    public ConsoleView(ClusterHost host)
    {
        _host = host;
        var width = host.Resources.Max(r => r.Name.Length);
        _prefixes = host.Resources.Select((r, i) => (r.Name, Prefix: Colour(i, r.Name.PadRight(width)) + " | "))
            .ToDictionary(r => r.Name, r => r.Prefix, StringComparer.Ordinal);
        _subscription = host.Events.Subscribe();
        _showing = Task.Run(ShowEventsAsync);
    }

    public void Info(string message) => Write(Console.Out, Self + message);

    public void Error(string message) => Write(Console.Error, Self + (_useColour ? "\e[31m" + message + "\e[0m" : message));

    /// <summary>
    /// Prints the resource table, the run's parameters and the dashboard's login link, then the output held back so
    /// far, and from then on each line as it comes.
    /// </summary>
    public void ShowRunning()
    {
        lock (_console)
        {
            Console.Out.WriteLine();
            foreach (var line in ResourceTable.Lines(_host.Runner.Processes))
            {
                Console.Out.WriteLine(line);
            }

            var shown = _host.Parameters.Where(p => p.Description is not null).ToList();
            if (shown.Count > 0 || _host.Dashboard is not null)
            {
                Console.Out.WriteLine();
                foreach (var parameter in shown)
                {
                    Console.Out.WriteLine($"{parameter.Description}: {parameter.Value}");
                }

                if (_host.Dashboard is { } dashboard)
                {
                    Console.Out.WriteLine(dashboard.BrowserToken is null
                        ? $"Dashboard (no login: {DashboardResource.AllowAnonymousVariable}=true): {dashboard.LoginUrl}"
                        : $"Login to the dashboard at {dashboard.LoginUrl}");
                }
            }

            Console.Out.WriteLine();
            foreach (var line in _heldBack)
            {
                Console.Out.WriteLine(line);
            }

            _heldBack.Clear();
            _streaming = true;
        }
    }

    /// <summary>Stops listening, once it has shown every event published before this call.</summary>
    public async Task FinishAsync()
    {
        _subscription.Dispose();
        await _showing;
    }

    /// <summary>How each resource ended (after a stop of them all), and whether that was a clean stop.</summary>
    public void ShowStopReport()
    {
        var graceMs = _host.Settings.GracePeriodMs;
        foreach (var resource in _host.Runner.Processes)
        {
            Info($"{resource.Name}: {Ending(resource, graceMs)}{(resource.ExitCode is { } code ? $" (exit code {code})" : "")}");
        }

        var unclean = _host.Runner.Processes.Where(r => r.Ending is not (ResourceEnding.Stopped or null)).ToList();
        if (unclean.Count == 0)
        {
            Info("Clean stop: every resource that ran exited on SIGTERM within the grace period.");
        }
        else
        {
            Error($"Not a clean stop: {string.Join(", ", unclean.Select(r => $"{r.Name} {Ending(r, graceMs)}"))}.");
        }
    }

    private async Task ShowEventsAsync()
    {
        try
        {
            await ShowEachEventAsync();
        }
        catch (SubscriberTooSlowException ex)
        {
            Error($"The console no longer follows the resources: {ex.Message}");
        }
    }

    private async Task ShowEachEventAsync()
    {
        await foreach (var change in _subscription.ReadAllAsync())
        {
            switch (change)
            {
                case ResourceOutput output:
                    Show(_prefixes[output.Resource] + output.Line);
                    break;
                case ResourceStateChanged { Snapshot: { State: ResourceState.Exited, Ending: ResourceEnding.ExitedOnItsOwn } exited }:
                    Error($"{exited.Resource} exited on its own with code {exited.ExitCode}; the others keep running. Its last lines:{Environment.NewLine}  " +
                        string.Join(Environment.NewLine + "  ", _host.Runner[exited.Resource].Output.TakeLast(15)));
                    break;
                case OutputLinesDropped dropped:
                    Show(Self + $"{dropped.Count} lines of output not shown here: this terminal took them too slowly.");
                    break;
            }
        }
    }

    private void Show(string line)
    {
        lock (_console)
        {
            if (_streaming)
            {
                Console.Out.WriteLine(line);
            }
            else
            {
                _heldBack.Add(line);
            }
        }
    }

    private void Write(TextWriter writer, string line)
    {
        lock (_console)
        {
            writer.WriteLine(line);
        }
    }

    private static string Ending(ResourceProcess resource, int graceMs) => resource.Ending switch
    {
        ResourceEnding.Stopped => "stopped",
        ResourceEnding.KilledAfterGracePeriod => string.Create(CultureInfo.InvariantCulture, $"killed after the {graceMs} ms grace period"),
        ResourceEnding.Killed => "killed",
        ResourceEnding.ExitedOnItsOwn => "had exited on its own",
        _ => "never started",
    };

    private string Colour(int index, string text) => _useColour ? $"{Colours[index % Colours.Length]}{text}\e[0m" : text;
}
