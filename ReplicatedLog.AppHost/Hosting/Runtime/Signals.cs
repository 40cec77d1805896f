using System.Runtime.InteropServices;

namespace ReplicatedLog.AppHost.Hosting.Runtime;

/// <summary>POSIX signals to a child process (Linux numbering).</summary>
internal static partial class Signals
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    /// <summary>Sends <paramref name="signal"/>; a negative <paramref name="pid"/> means its process group.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
