using System.Security.Cryptography;

namespace ReplicatedLog.Tests.Support;

/// <summary>
/// A Docker Compose deployment run by a test with Debian's <c>docker-compose</c> (v1): brought up under a project name
/// of its own with fresh secrets, driven (stop, start, kill), and always taken down with its volumes when disposed,
/// also when the test fails.
/// </summary>
public sealed class ComposeProject : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(20);

    private readonly string _file;
    private readonly Dictionary<string, string?> _environment;
    private bool _down;

    private ComposeProject(string file, Dictionary<string, string?> environment)
    {
        _file = file;
        _environment = environment;
    }

    /// <summary>The project name: every container, network and volume carries it.</summary>
    public string Name => _environment["COMPOSE_PROJECT_NAME"]!;

    /// <summary>The token the deployment's nodes share (<c>CLUSTER_TOKEN</c>).</summary>
    public string ClusterToken => _environment["CLUSTER_TOKEN"]!;

    /// <summary>The dashboard's login token (<c>DASHBOARD_BROWSER_TOKEN</c>).</summary>
    public string BrowserToken => _environment["DASHBOARD_BROWSER_TOKEN"]!;

    /// <summary>
    /// Builds the images and starts <paramref name="composeFile"/> detached (<c>up -d --build</c>), which returns once
    /// every service it waits on is healthy; if that fails, the project is taken down again before this throws.
    /// </summary>
    public static async Task<ComposeProject> UpAsync(string composeFile)
    {
        var environment = await DockerEngine.EnvironmentAsync();
        environment["COMPOSE_PROJECT_NAME"] = $"rltest{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
        environment["CLUSTER_TOKEN"] = RandomNumberGenerator.GetHexString(48, lowercase: true);
        environment["DASHBOARD_BROWSER_TOKEN"] = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var project = new ComposeProject(composeFile, environment);
        try
        {
            await project.RunAsync(BuildTimeout, "up", "-d", "--build");
            return project;
        }
        catch
        {
            await project.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>docker-compose -f FILE ARGS</c>; a non-zero exit throws with its output.</summary>
    public Task<string> RunAsync(params string[] arguments) => RunAsync(CommandTimeout, arguments);

    /// <summary>The ids of the project's containers, running or not.</summary>
    public async Task<IReadOnlyList<string>> ContainersAsync() =>
        (await DockerAsync("ps", "-a", "-q", "--filter", $"label=com.docker.compose.project={Name}"))
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The project's networks.</summary>
    public async Task<IReadOnlyList<string>> NetworksAsync() =>
        (await DockerAsync("network", "ls", "-q", "--filter", $"label=com.docker.compose.project={Name}"))
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary><c>docker-compose down</c>: containers and networks go, the volumes (the logs) stay.</summary>
    public async Task DownAsync()
    {
        await RunAsync("down", "--remove-orphans");
        _down = true;
    }

    public async ValueTask DisposeAsync()
    {
        // Always: containers, networks and the volumes the test made, whatever state the test left them in.
        var (exit, output) = await Command.RunAsync("docker-compose", ["-f", _file, "down", "--volumes", "--remove-orphans", "--timeout", "5"],
            CommandTimeout, _environment);
        if (exit != 0 && !_down)
        {
            Console.Error.WriteLine($"docker-compose down for {Name} failed ({exit}):\n{output}");
        }

        await DockerEngine.StopIfStartedHereAsync();
    }

    private async Task<string> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var (exit, output) = await Command.RunAsync("docker-compose", ["-f", _file, .. arguments], timeout, _environment);
        return exit == 0 ? output : throw new InvalidOperationException($"docker-compose {string.Join(' ', arguments)} exited {exit}:\n{output}");
    }

    private async Task<string> DockerAsync(params string[] arguments)
    {
        var (exit, output) = await Command.RunAsync("docker", arguments, CommandTimeout, _environment);
        return exit == 0 ? output : throw new InvalidOperationException($"docker {string.Join(' ', arguments)} exited {exit}:\n{output}");
    }
}

/// <summary>
/// A Docker engine for the tests. Where the workplace's <c>../shared/docker/standin.sh</c> sits beside the repository
/// (this machine and its CI: no container registry is reachable), it is sourced: it starts an engine of its own if none
/// answers and makes local stand-ins for the official .NET SDK and ASP.NET images, tagged with their names, so the real
/// Dockerfiles build unchanged. Elsewhere the engine that <c>DOCKER_HOST</c> or the default socket names is used, and
/// the base images are pulled. An engine the stand-in started for the tests is stopped by them (<see cref="StopIfStartedHereAsync"/>).
/// </summary>
public static class DockerEngine
{
    private static readonly TimeSpan StandInTimeout = TimeSpan.FromMinutes(10);
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static string? _dockerHost;
    private static int? _startedHere;

    /// <summary>The environment that reaches the engine (<c>DOCKER_HOST</c>, when the stand-in set it).</summary>
    public static async Task<Dictionary<string, string?>> EnvironmentAsync()
    {
        await Once.WaitAsync();
        try
        {
            _dockerHost ??= await StartAsync();
        }
        finally
        {
            Once.Release();
        }

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (_dockerHost.Length > 0)
        {
            environment["DOCKER_HOST"] = _dockerHost;
        }

        return environment;
    }

    /// <summary>Stops the engine if these tests started it (SIGTERM to its pid, then waits for it to go), leaving one that ran before alone.</summary>
    public static async Task StopIfStartedHereAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_startedHere is not { } pid)
            {
                return;
            }

            AppHost.Hosting.Runtime.Signals.Send(pid, AppHost.Hosting.Runtime.Signals.SIGTERM);
            await Eventually.TrueAsync("the tests' dockerd to stop", () => IsGone(pid), TimeSpan.FromSeconds(60));
            _startedHere = null;
            _dockerHost = null;
        }
        finally
        {
            Once.Release();
        }
    }

    /// <summary>No such process, or only its zombie (the stand-in's dockerd is no child of ours, so we cannot reap it).</summary>
    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task<bool> AnswersAsync(string? dockerHost)
    {
        var environment = dockerHost is null ? null : new Dictionary<string, string?> { ["DOCKER_HOST"] = dockerHost };
        return (await Command.RunAsync("bash", ["-c", "command -v docker >/dev/null && docker info >/dev/null 2>&1"], TimeSpan.FromMinutes(1), environment)).ExitCode == 0;
    }

    private static async Task<string> StartAsync()
    {
        var standIn = Path.GetFullPath(Path.Combine(Repository.Root, "..", "shared", "docker", "standin.sh"));
        if (File.Exists(standIn))
        {
            // The script's own places (STANDIN_DIR): its socket, and the pid of a dockerd it starts.
            var directory = Environment.GetEnvironmentVariable("STANDIN_DIR") ?? Path.Combine(Path.GetTempPath(), "standin");
            var pidFile = Path.Combine(directory, "docker.pid");
            var running = await AnswersAsync(null) || await AnswersAsync($"unix://{Path.Combine(directory, "docker.sock")}");
            var (exit, output) = await Command.RunAsync("bash",
                ["-c", "source \"$0\" >&2 && docker info >/dev/null && echo \"DOCKER_HOST=${DOCKER_HOST:-}\"", standIn], StandInTimeout);
            var line = output.Split('\n').LastOrDefault(l => l.StartsWith("DOCKER_HOST=", StringComparison.Ordinal));
            if (exit != 0 || line is null)
            {
                throw new InvalidOperationException($"{standIn} made no Docker engine available ({exit}):\n{output}");
            }

            if (!running && File.Exists(pidFile))
            {
                _startedHere = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }

            return line["DOCKER_HOST=".Length..].Trim();
        }

        var (infoExit, info) = await Command.RunAsync("docker", ["info"], TimeSpan.FromMinutes(1));
        return infoExit == 0
            ? Environment.GetEnvironmentVariable("DOCKER_HOST") ?? ""
            : throw new InvalidOperationException($"No Docker engine answers (docker info exited {infoExit}); start one (dockerd) and set DOCKER_HOST:\n{info}");
    }
}
