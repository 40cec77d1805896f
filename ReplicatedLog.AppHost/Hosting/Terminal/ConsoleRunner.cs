using System.Runtime.InteropServices;
using ReplicatedLog.AppHost.Hosting.Runtime;

namespace ReplicatedLog.AppHost.Hosting.Terminal;

/// <summary>
/// A run of the AppHost on a terminal: checks the ports, starts the topology in order, shows it through a
/// <see cref="ConsoleView"/>, and on Ctrl+C or SIGTERM stops every child (dependents first; SIGTERM, then SIGKILL after
/// the grace period) and reports how each one ended before it exits. The children run in process groups of their
/// own, so Ctrl+C on the terminal reaches the AppHost alone.
/// </summary>
public sealed class ConsoleRunner(ClusterHost host)
{
    /// <summary>Runs until Ctrl+C or SIGTERM: 0 after a stop on request, 1 when a resource failed to start, 2 when a port is taken.</summary>
    public async Task<int> RunAsync()
    {
        var view = new ConsoleView(host);
        var runner = host.Runner;
        var taken = runner.PortsInUse();
        if (taken.Count > 0)
        {
            foreach (var endpoint in taken)
            {
                var choose = endpoint.Resource == host.Dashboard?.Resource.Name
                    ? "--dashboard-port P, --AppHost:Dashboard:OtlpGrpcPort=P and --AppHost:Dashboard:OtlpHttpPort=P (or run without it: --no-dashboard)"
                    : "--base-port";
                view.Error($"Cannot start: port {endpoint.Port} (for {endpoint.Resource}) is already in use. Stop what uses it, or choose other ports with {choose}.");
            }

            await view.FinishAsync();
            return 2;
        }

        using var stopping = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        view.Info($"Starting {host.Resources.Count} resources; children are {(ProcessLauncher.KillsChildrenOnDeath ? "killed by the kernel if this AppHost dies" : "told through their standard input if this AppHost dies")}"
            + $"{(ProcessLauncher.IsolatesChildren ? "; each runs in a process group of its own, so Ctrl+C reaches this AppHost alone, which stops them" : "")}.");
        try
        {
            await host.StartAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAndReportAsync(view);
            return 0;
        }
        catch (Exception ex) when (ex is ResourceFailedException or FileNotFoundException)
        {
            view.Error(ex.Message);
            await runner.StopAllAsync();
            await view.FinishAsync();
            return 1;
        }

        view.ShowRunning();
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM.
        }

        await StopAndReportAsync(view);
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // stop the children first, then exit on our own
            stopping.Cancel();
        }
    }

    private async Task StopAndReportAsync(ConsoleView view)
    {
        view.Info($"Stopping every resource, dependents first (SIGTERM, SIGKILL after {host.Settings.GracePeriodMs} ms)...");
        await host.Runner.StopAllAsync();
        await view.FinishAsync(); // every line the children wrote before they exited comes before the report
        view.ShowStopReport();
    }
}
