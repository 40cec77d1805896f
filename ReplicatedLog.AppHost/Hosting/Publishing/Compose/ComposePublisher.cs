using ReplicatedLog.AppHost.Hosting.Model;

namespace ReplicatedLog.AppHost.Hosting.Publishing.Compose;

/// <summary>
/// <c>--publisher compose</c>: the topology as a Docker Compose file (the Compose Specification, which Debian's
/// docker-compose 1.29 reads as well as Compose v2) and its <c>.env</c>. A service per resource, named as the resource,
/// built from its project's Dockerfile; references are the other services' names on the compose network; secrets are
/// variables the user sets when starting it, never values in the files; each node's data is a named volume; each
/// service starts once those it waits for are healthy; the external endpoints are published on
/// <c>${BIND_ADDRESS}</c> (127.0.0.1 in <c>.env</c>) at the AppHost's own ports.
/// </summary>
public sealed class ComposePublisher : IPublisher
{
    public const string ComposeFile = "docker-compose.yaml";
    public const string EnvFile = ".env";
    public const string BindAddressVariable = "BIND_ADDRESS";
    public const string DefaultBindAddress = "127.0.0.1";

    /// <summary>What Docker's health check asks: liveness, as the images' own HEALTHCHECK does.</summary>
    public const string HealthPath = "/alive";

    /// <summary>
    /// Secrets that a deployment gives the value of another: the dashboard's OTLP key is the cluster token, which every
    /// service that sends telemetry already holds, so the user sets one secret fewer and OTLP stays authenticated.
    /// </summary>
    private static readonly Dictionary<string, string> SharedSecrets = new(StringComparer.Ordinal)
    {
        ["dashboard-otlp-api-key"] = "cluster-token",
    };

    public string Name => "compose";

    public IReadOnlyList<PublishedFile> Render(ClusterHostBuilder builder, PublishTarget target)
    {
        var resources = builder.BuildModel();
        var environments = resources.ToDictionary(r => r, r => r.EnvironmentFor(ExecutionMode.Publish));
        var used = Expressions.ParametersIn(environments.Values.SelectMany(e => e.Values), builder.Parameters).ToList();
        var secrets = used
            .Select(p => builder.Parameters.Single(s => s.Name == SharedSecrets.GetValueOrDefault(p.Name, p.Name)))
            .Distinct()
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();

        var services = new YamlMap();
        foreach (var resource in resources)
        {
            services.Add(resource.Name, Service(resource, environments[resource], resources, target));
        }

        var volumes = new YamlMap();
        foreach (var volume in resources.Select(r => r.DataVolume).OfType<DataVolume>())
        {
            volumes.Add(volume.Name, new YamlMap());
        }

        var compose = new YamlMap { { "services", services } };
        if (volumes.Count > 0)
        {
            compose.Add("volumes", volumes);
        }

        return
        [
            new(Path.Combine(target.OutputPath, ComposeFile), Header(builder, target, secrets, used, resources) + compose.Write()),
            new(Path.Combine(target.OutputPath, EnvFile), EnvText(target)),
        ];
    }

    private static YamlMap Service(ServiceResource resource, IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<ServiceResource> resources, PublishTarget target)
    {
        var project = resource.Command as ResourceCommand.Project
            ?? throw new NotSupportedException($"The compose publisher writes projects; {resource.Name} runs {resource.Command}.");
        var service = new YamlMap
        {
            { "image", $"{project.Name.ToLowerInvariant().Replace('.', '-')}:latest" },
            {
                "build", new YamlMap
                {
                    { "context", PublishTarget.Relative(target.OutputPath, target.SourceRoot) },
                    { "dockerfile", $"{project.Name}/Dockerfile" },
                }
            },
        };

        var variables = new YamlMap();
        foreach (var (name, value) in environment)
        {
            variables.Add(name, Expressions.Replace(value, e => Resolve(e, resources), literal => literal.Replace("$", "$$")));
        }

        service.Add("environment", variables);
        var published = resource.Endpoints.Where(e => e.IsExternal).ToList();
        var unpublished = resource.Endpoints.Where(e => !e.IsExternal).ToList();
        if (published.Count > 0)
        {
            service.Add(
                unpublished.Count == 0 ? null : $"Not published: {string.Join(", ", unpublished.Select(e => $"{e.Name} ({e.TargetPort})"))}, reached on the compose network only.",
                "ports",
                published.Select(e => $"${{{BindAddressVariable}:-{DefaultBindAddress}}}:{e.Port}:{e.TargetPort}").ToList());
        }

        if (resource.DataVolume is { } volume)
        {
            service.Add("volumes", new List<string> { $"{volume.Name}:{volume.Target}" });
        }

        if (resource.HealthEndpoint is { } health)
        {
            service.Add("healthcheck", new YamlMap
            {
                { "test", new YamlFlow("CMD", "bash", "-c", Probe(health.TargetPort)) },
                { "interval", "5s" },
                { "timeout", "3s" },
                { "retries", 12 },
                { "start_period", "30s" },
            });
        }

        var dependsOn = new YamlMap();
        foreach (var other in resource.WaitsFor.Distinct())
        {
            dependsOn.Add(other.Name, new YamlMap { { "condition", other.HealthEndpoint is null ? "service_started" : "service_healthy" } });
        }

        if (dependsOn.Count > 0)
        {
            service.Add("depends_on", dependsOn);
        }

        return service;
    }

    /// <summary>
    /// Asks <see cref="HealthPath"/> with bash alone (the ASP.NET image has no curl): healthy when it answers 200, the
    /// same probe as the images' HEALTHCHECK. The Host header is needed: the dashboard's routes are bound to its ports.
    /// </summary>
    public static string Probe(int port) =>
        $"exec 3<>/dev/tcp/127.0.0.1/{port} && printf 'GET {HealthPath} HTTP/1.0\\r\\nHost: localhost:{port}\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3";

    /// <summary>
    /// An expression as Compose says it: an endpoint is the service's name on the compose network and its target port;
    /// a secret is a variable the user must set (<c>${CLUSTER_TOKEN:?…}</c>).
    /// </summary>
    private static string Resolve(string expression, IReadOnlyList<ServiceResource> resources)
    {
        var parts = expression.Split('.');
        if (parts is [var parameter, "value"])
        {
            var variable = SecretVariable(SharedSecrets.GetValueOrDefault(parameter, parameter));
            return $"${{{variable}:?set {variable}, a secret: see the top of {ComposeFile}}}";
        }

        var endpoint = parts is [var name, "bindings", var binding, _]
            ? resources.FirstOrDefault(r => r.Name == name)?.Endpoints.FirstOrDefault(e => e.Name == binding)
            : null;
        return (endpoint, parts[^1]) switch
        {
            ({ } e, "url") => $"{e.Scheme}://{e.Resource}:{e.TargetPort}",
            ({ } e, "targetPort") => $"{e.TargetPort}",
            _ => throw new NotSupportedException($"The compose publisher cannot render {{{expression}}}."),
        };
    }

    /// <summary>The variable a secret parameter is set in: <c>cluster-token</c> in <c>CLUSTER_TOKEN</c>.</summary>
    public static string SecretVariable(string parameter) => parameter.ToUpperInvariant().Replace('-', '_');

    private static string Header(ClusterHostBuilder builder, PublishTarget target, IReadOnlyList<Parameter> secrets, IReadOnlyList<Parameter> used,
        IReadOnlyList<ServiceResource> resources)
    {
        var settings = builder.Settings;
        var delays = settings.SecondaryNames.Where(n => settings.DelayOf(n) > 0).Select(n => $"{n} delayed {settings.DelayOf(n)} ms").ToList();
        var setSecrets = string.Join(" ", secrets.Select(s => $"{SecretVariable(s.Name)}=$(openssl rand -hex {s.Value.Length / 2})"));
        var published = resources.SelectMany(r => r.Endpoints.Where(e => e.IsExternal)).Select(e => $"{e.Resource} {e.Port}");
        var volumes = resources.Select(r => r.DataVolume?.Name).OfType<string>().ToList();
        string[] lines =
        [
            $"Generated by the AppHost from its topology. Do not edit: change the AppHost and run, from the repository root,",
            $"  {Publishers.Command("compose", target.OutputPathInSource)}",
            $"(a test fails when this file differs from what that command writes). This one: {settings.Secondaries} secondaries" +
                (delays.Count > 0 ? $", {string.Join(", ", delays)}" : "") + " (--secondaries N, --delay NAME=MS).",
            "",
            "Run it from this folder (Debian's docker-compose 1.29, or docker compose v2):",
            $"  export {setSecrets}",
            "  docker-compose up -d --build",
            "The secrets come from the environment, never from this file or .env: docker-compose refuses to start without them,",
            "and reads them for every command (`docker-compose down` too), so keep them exported in that shell.",
            $"Published on ${BindAddressVariable} (.env: {DefaultBindAddress}, this machine only) at the AppHost's ports: {string.Join(", ", published)}.",
            $"Each node keeps its log in a named volume ({string.Join(", ", volumes)}) at {DataVolume.DeployedPath}: `docker-compose down` keeps them, `down -v` deletes them.",
            .. used.Where(p => SharedSecrets.ContainsKey(p.Name)).Select(p =>
                $"{p.Name}: {SecretVariable(SharedSecrets[p.Name])} stands for it (it reaches no one that secret does not already reach)."),
            "OTLP: the services send their telemetry to the dashboard's OTLP/HTTP port on the compose network only; it is not published.",
        ];
        return string.Concat(lines.Select(l => l.Length == 0 ? "#\n" : $"# {l}\n"));
    }

    private static string EnvText(PublishTarget target) =>
        $"# Generated with {ComposeFile} ({Publishers.Command("compose", target.OutputPathInSource)}): no secrets here.\n" +
        $"# The address the services' ports are published on: {DefaultBindAddress} keeps them on this machine, 0.0.0.0 opens them to the network.\n" +
        $"{BindAddressVariable}={DefaultBindAddress}\n";
}
