using System.Diagnostics;
using ReplicatedLog.AppHost.Hosting.Runtime;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// A command run by a test in a process group of its own (as a terminal runs a job), with its output collected.
/// Disposing kills the whole group, so nothing outlives the test.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _errors = [];

    private ChildProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Record(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => Record(e.Data, error: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public Process Process => _process;

    /// <summary>Every line written, to standard output or error, in order.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>The lines written to standard error.</summary>
    public IReadOnlyList<string> ErrorOutput
    {
        get
        {
            lock (_output)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Starts <paramref name="file"/> through setsid: its pid is its process group id.</summary>
    /// <param name="environment">Variables to set on top of the test's own.</param>
    public static ChildProcess StartInOwnGroup(
        string file, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(file);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new ChildProcess(Process.Start(info)!);
    }

    /// <summary>Sends a signal to the whole process group, as Ctrl+C on a terminal does.</summary>
    public void SignalGroup(int signal) => Signals.Send(-Id, signal);

    public void Signal(int signal) => Signals.Send(Id, signal);

    /// <summary>The process ids in the AppHost's resource table, by resource name, once it is printed.</summary>
    public async Task<Dictionary<string, int>> WaitForResourceTableAsync(IEnumerable<string> resources)
    {
        var names = resources.ToList();
        return await Eventually.MatchAsync("the AppHost's resource table", () => Task.FromResult(ParseTable(names)),
            table => table.Count == names.Count, TimeSpan.FromSeconds(120),
            _ => string.Join(Environment.NewLine, Output.TakeLast(20)));
    }

    /// <summary>True while a process with this id runs one of our services.</summary>
    public static bool IsServiceAlive(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("ReplicatedLog", StringComparison.Ordinal)
                && Stat(pid)[0] != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The environment a running process was started with (<c>/proc/PID/environ</c>).</summary>
    public static Dictionary<string, string> EnvironmentOf(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => v.Split('=', 2)).Where(v => v.Length == 2)
            .GroupBy(v => v[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);

    /// <summary>The process group of a running process (field 5 of <c>/proc/PID/stat</c>).</summary>
    public static int ProcessGroupOf(int pid) => int.Parse(Stat(pid)[2], System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        SignalGroup(Signals.SIGKILL);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private Dictionary<string, int> ParseTable(List<string> names)
    {
        var table = new Dictionary<string, int>();
        // The rows between the RESOURCE header and the blank line after them; resource output comes later.
        var rows = Output.SkipWhile(l => !l.StartsWith("RESOURCE ", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.Length > 0);
        foreach (var line in rows)
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length >= 4 && names.Contains(cells[0]) && int.TryParse(cells[^1], out var pid))
            {
                table[cells[0]] = pid;
            }
        }

        return table;
    }

    /// <summary>The fields of <c>/proc/PID/stat</c> after the command name (which may hold spaces), from the state on.</summary>
    private static string[] Stat(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private void Record(string? line, bool error)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
                if (error)
                {
                    _errors.Add(line);
                }
            }
        }
    }
}
