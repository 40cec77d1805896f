using System.Collections.Concurrent;
using System.Diagnostics;

namespace ReplicatedLog.AppHost.Hosting.Runtime;

/// <summary>
/// Starts child processes from one thread that lives as long as the AppHost. On Linux each child is started through
/// <c>setpriv --pdeathsig KILL -- setsid</c>: the kernel kills it when the thread that started it dies, which is when
/// the AppHost dies, even by SIGKILL (the death signal follows the starting thread, hence the one long-lived thread);
/// and it runs in a session and process group of its own, so Ctrl+C on the AppHost's terminal reaches the AppHost
/// alone, which then stops the children in order. A freshly forked child leads no group, so setsid execs the service
/// in place without forking: the pid the AppHost records is the service's own, and signals sent to it reach the
/// service. Children also get their standard input from a pipe to the AppHost, which the services watch where
/// setpriv is missing.
/// </summary>
internal static class ProcessLauncher
{
    private const string SetPriv = "/usr/bin/setpriv";
    private const string SetSid = "/usr/bin/setsid";
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = [];
    private static readonly Lazy<Thread> Launcher = new(() =>
    {
        var thread = new Thread(Serve) { IsBackground = true, Name = "child-process-launcher" };
        thread.Start();
        return thread;
    });

    public static bool KillsChildrenOnDeath => OperatingSystem.IsLinux() && File.Exists(SetPriv);

    /// <summary>True where children get a process group of their own, out of reach of the terminal's Ctrl+C.</summary>
    public static bool IsolatesChildren => OperatingSystem.IsLinux() && File.Exists(SetSid);

    public static Task<Process> StartAsync(string fileName, IEnumerable<string> arguments, ProcessStartInfo info)
    {
        string[] command =
        [
            .. KillsChildrenOnDeath ? [SetPriv, "--pdeathsig", "KILL", "--"] : Array.Empty<string>(),
            .. IsolatesChildren ? [SetSid] : Array.Empty<string>(),
            fileName,
            .. arguments,
        ];
        info.FileName = command[0];
        foreach (var argument in command[1..])
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
