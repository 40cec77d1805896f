using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ReplicatedLog.ServiceDefaults.Logging;

/// <summary>Options of <see cref="ServiceConsoleFormatter"/>.</summary>
public sealed class ServiceConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The name written on every line, so interleaved output of several nodes stays readable.</summary>
    public string ServiceName { get; set; } = "service";
}

/// <summary>
/// One line per event: <c>2026-11-21T10:00:00.123Z info  [master] Category: message</c>, exception on the lines after.
/// </summary>
public sealed class ServiceConsoleFormatter(IOptionsMonitor<ServiceConsoleFormatterOptions> options)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "service";

    public override void Write<TState>(
        in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var category = logEntry.Category;
        var lastDot = category.LastIndexOf('.');
        textWriter.Write(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
        textWriter.Write(' ');
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(" [");
        textWriter.Write(options.CurrentValue.ServiceName);
        textWriter.Write("] ");
        textWriter.Write(lastDot >= 0 ? category.AsSpan(lastDot + 1) : category);
        textWriter.Write(": ");
        textWriter.WriteLine(message);
        if (logEntry.Exception is not null)
        {
            textWriter.WriteLine(logEntry.Exception.ToString());
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "    ",
    };
}
