using System.Globalization;
using ReplicatedLog.Bench.Load;
using Spectre.Console;

namespace ReplicatedLog.Bench;

/// <summary>
/// A live line on the terminal while the load runs (Spectre.Console), redrawn once a second with the elapsed time,
/// the appends so far, the rate in the last second, p99 so far and the failures; left on screen at the end.
/// </summary>
public static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(Func<Action<ProgressSample>, Task<T>> work)
    {
        var result = default(T)!;
        await AnsiConsole.Live(new Markup("[grey]starting…[/]")).AutoClear(false).StartAsync(async context =>
        {
            result = await work(sample =>
            {
                context.UpdateTarget(new Markup(Line(sample)));
                context.Refresh();
            });
        });
        return result;
    }

    public static string Line(ProgressSample s)
    {
        var c = CultureInfo.InvariantCulture;
        var errors = s.Errors == 0 ? "[green]0 failed[/]" : $"[red bold]{s.Errors.ToString("N0", c)} failed[/]";
        return $"  {s.Elapsed.TotalSeconds.ToString("0", c),4} s  {s.Acknowledged.ToString("N0", c),12} acknowledged  " +
               $"{s.RatePerSecond.ToString("N0", c),9} appends/s  p99 {s.P99Milliseconds.ToString("0.00", c),8} ms  {errors}";
    }
}
