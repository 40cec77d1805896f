using System.Collections.Concurrent;
using System.Diagnostics;

namespace ReplicatedLog.AppHost.Hosting;

/// <summary>
/// Starts child processes from one thread that lives as long as the AppHost. On Linux each child is started through
/// <c>setpriv --pdeathsig KILL</c>: the kernel kills it when the thread that started it dies, which is when the AppHost
/// dies, even by SIGKILL. (The death signal follows the starting thread, hence the one long-lived thread.) Children
/// also get their standard input from a pipe to the AppHost, which the services watch where setpriv is missing.
/// </summary>
internal static class ProcessLauncher
{
    private const string SetPriv = "/usr/bin/setpriv";
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = [];
    private static readonly Lazy<Thread> Launcher = new(() =>
    {
        var thread = new Thread(Serve) { IsBackground = true, Name = "child-process-launcher" };
        thread.Start();
        return thread;
    });

    public static bool KillsChildrenOnDeath => OperatingSystem.IsLinux() && File.Exists(SetPriv);

    public static Task<Process> StartAsync(string fileName, IEnumerable<string> arguments, ProcessStartInfo template)
    {
        var info = template;
        if (KillsChildrenOnDeath)
        {
            info.FileName = SetPriv;
            foreach (var argument in new[] { "--pdeathsig", "KILL", "--", fileName }.Reverse())
            {
                info.ArgumentList.Insert(0, argument);
            }
        }
        else
        {
            info.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Launcher.Value;
        Requests.Add((info, started));
        return started.Task;
    }

    private static void Serve()
    {
        foreach (var (info, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = info, EnableRaisingEvents = true };
                process.Start();
                started.TrySetResult(process);
            }
            catch (Exception ex)
            {
                started.TrySetException(ex);
            }
        }
    }
}
