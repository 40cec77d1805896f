using System.ComponentModel;
using System.Diagnostics;

namespace ReplicatedLog.Tests.Support;

/// <summary>A program run by a test to its end: its exit code, and its standard output followed by its standard error.</summary>
public static class Command
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="input"/> on its standard input and waits for it; past
    /// <paramref name="timeout"/> it is killed and this throws with its output. A program that cannot be started
    /// (not installed) throws <see cref="InvalidOperationException"/> naming it.
    /// </summary>
    /// <param name="environment">Variables set on top of the test's own; a null value removes one.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null, string? input = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"{file} cannot be run ({ex.Message}): is it installed? (.ci/run installs what the tests need)", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(input ?? "");
            process.StandardInput.Close();
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException(
                    $"{file} {string.Join(' ', info.ArgumentList)} ran longer than {timeout.TotalSeconds:0} s:\n{await output}{await errors}");
            }

            return (process.ExitCode, await output + await errors);
        }
    }
}
