using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.AppHost.Hosting.Model;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.AppHost.Hosting.Dashboard;

/// <summary>
/// The AppHost's resource service, which its dashboard reads (Aspire's dashboard reads its AppHost the same way,
/// over gRPC): an HTTP endpoint on the loopback address, on a free port, that streams <see cref="ClusterHost.Events"/>
/// as JSON and runs commands on the resources (<see cref="ResourceServiceRoutes"/>). With an API key, every call must
/// carry it in <c>x-resource-service-api-key</c>. Environments are sent with the values of secret parameters masked.
/// </summary>
/// <param name="excluded">Resources that take no commands here (the dashboard: it would stop itself).</param>
public sealed class ResourceService(ClusterHost host, string? apiKey, IReadOnlyCollection<string> excluded) : IAsyncDisposable
{
    private readonly string[] _secrets = [.. host.Parameters.Where(p => p.Secret && p.Value.Length > 0).Select(p => p.Value)];
    private WebApplication? _app;

    public ClusterHost Host { get; } = host;

    /// <summary>Names this run of the AppHost in every snapshot.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N");

    public string? ApiKey { get; } = apiKey;

    /// <summary>Where it listens, once started.</summary>
    public Uri? Url { get; private set; }

    internal bool TakesCommands(string resource) => !excluded.Contains(resource, StringComparer.OrdinalIgnoreCase);

    /// <summary>Starts listening on a free loopback port; returns the URL.</summary>
    public async Task<Uri> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders(); // the terminal is the console view's
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ResourceServiceJsonContext.Default));
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(this);
        var app = builder.Build();
        app.UseStatusCodePages();
        app.MapResourceServiceApi();
        await app.StartAsync(cancellationToken);
        _app = app;
        Url = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return Url;
    }

    /// <summary>A resource as the service sends it: its state from <paramref name="snapshot"/>, the rest from the model.</summary>
    internal ResourceView View(ResourceSnapshot snapshot)
    {
        var resource = Host.Runner[snapshot.Resource].Resource;
        return new ResourceView(
            snapshot.Resource,
            resource.Command is ResourceCommand.Project ? "Project" : "Executable",
            snapshot.State.ToString(),
            snapshot.ProcessId,
            snapshot.ExitCode,
            snapshot.Ending?.ToString(),
            snapshot.StartedAt,
            snapshot.Restarts,
            [.. resource.Endpoints.Select(e => new ResourceUrl(e.Name, e.Url.ToString()))],
            [.. (snapshot.Environment ?? new Dictionary<string, string>()).OrderBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => IsSecret(v.Value) ? new ResourceEnvironmentVariable(v.Key, null, true) : new ResourceEnvironmentVariable(v.Key, v.Value, false))],
            [.. resource.Properties.Select(p => new ResourceProperty(p.Key, p.Value))]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>A value that holds a secret (the key inside <c>x-otlp-api-key=…</c> too).</summary>
    private bool IsSecret(string value) => _secrets.Any(secret => value.Contains(secret, StringComparison.Ordinal));
}
