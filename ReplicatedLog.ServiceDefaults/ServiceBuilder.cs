using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace ReplicatedLog.ServiceDefaults;

/// <summary>The start of every service's app: a web builder rooted at the service's own build output, with defaults.</summary>
public static class ServiceBuilder
{
    /// <param name="args">Command-line arguments (any configuration key, e.g. <c>--urls</c>).</param>
    /// <param name="service">The service's assembly: its name is the application name.</param>
    /// <param name="defaultServiceName">The name in logs and telemetry when <c>OTEL_SERVICE_NAME</c> is not set.</param>
    /// <param name="configure">Lets a test add configuration, services or logger providers before the defaults read them.</param>
    public static WebApplicationBuilder Create(
        string[] args, Assembly service, string defaultServiceName, Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = service.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The host's own providers go here, before the test's hook: a provider a test adds in configure stays.
        builder.Logging.ClearProviders();
        builder.Configuration.AddQuietFrameworkLogging();
        configure?.Invoke(builder);
        builder.AddServiceDefaults(defaultServiceName);
        return builder;
    }
}
