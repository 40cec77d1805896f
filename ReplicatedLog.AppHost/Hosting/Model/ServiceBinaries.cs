using System.Reflection;

namespace ReplicatedLog.AppHost.Hosting.Model;

/// <summary>Where the build put each service the AppHost references (embedded at build time by the .csproj).</summary>
public static class ServiceBinaries
{
    public const string Master = "ReplicatedLog.Master";
    public const string Secondary = "ReplicatedLog.Secondary";
    public const string Dashboard = "ReplicatedLog.Dashboard";

    private const string Prefix = "ServicePath:";

    /// <summary>The built assembly (.dll) of <paramref name="project"/>.</summary>
    public static string AssemblyPath(string project)
    {
        var path = typeof(ServiceBinaries).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == Prefix + project)?.Value
            ?? throw new InvalidOperationException($"The AppHost was built without a reference to {project}.");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{project} is not built at {path}: build the solution (dotnet build) first.", path);
        }

        return path;
    }

    /// <summary>How to run <paramref name="project"/>'s build: its native apphost where there is one, else <c>dotnet</c> on its .dll.</summary>
    public static ResourceCommand.Executable Executable(string project)
    {
        var assembly = AssemblyPath(project);
        var native = Path.ChangeExtension(assembly, null);
        var directory = Path.GetDirectoryName(assembly)!;
        return File.Exists(native) ? new(native, [], directory) : new("dotnet", [assembly], directory);
    }
}
