using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReplicatedLog.ServiceDefaults;

namespace ReplicatedLog.Tests.Unit;

/// <summary>
/// ASP.NET Core makes an Activity and a log scope for every request while its hosting logger is on at any level. A
/// service that exports nothing turns that logger off, so a request pays for no trace nobody sees; a service that
/// exports keeps it at Warning (the framework's default here), and configuration can always turn it on.
/// </summary>
public sealed class HostingLoggerDefaultsTests
{
    private const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Fact]
    public void WithNothingExportedTheHostingLoggerIsOffAtEveryLevel()
    {
        var logger = HostingLogger("--OTEL_EXPORTER_OTLP_ENDPOINT=");
        Assert.False(logger.IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public void WhenTracesAreExportedTheHostingLoggerStaysOnForWarnings()
    {
        var logger = HostingLogger("--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318");
        Assert.True(logger.IsEnabled(LogLevel.Warning));
        Assert.False(logger.IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void ConfigurationTurnsTheHostingLoggerOnWithNothingExported()
    {
        var logger = HostingLogger("--OTEL_EXPORTER_OTLP_ENDPOINT=", $"--Logging:LogLevel:{Category}=Information");
        Assert.True(logger.IsEnabled(LogLevel.Information));
    }

    private static ILogger HostingLogger(params string[] args)
    {
        var app = ServiceBuilder.Create(args, typeof(HostingLoggerDefaultsTests).Assembly, "test", configure: null).Build();
        try
        {
            return app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        }
        finally
        {
            ((IDisposable)app).Dispose();
        }
    }
}
