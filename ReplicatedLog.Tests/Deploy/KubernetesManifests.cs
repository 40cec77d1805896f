using k8s;
using k8s.Models;
using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Model;
using ReplicatedLog.AppHost.Hosting.Publishing;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Deploy;

/// <summary>
/// The Kubernetes publisher's files for an AppHost command line, rendered as <c>--publisher kubernetes --output-path
/// deploy/kubernetes</c> would write them, and their objects read with the Kubernetes client's models, strictly: a
/// field the API does not know, or a value of the wrong type, fails the read.
/// </summary>
public sealed class KubernetesManifests
{
    public const string Folder = "deploy/kubernetes";

    private KubernetesManifests(IReadOnlyList<PublishedFile> files, IReadOnlyList<Parameter> secrets)
    {
        Files = files;
        Secrets = secrets;
        Objects = [.. files.Where(f => f.Path.EndsWith(".yaml", StringComparison.Ordinal) && !f.Path.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .SelectMany(f => KubernetesYaml.LoadAllFromString(f.Content, strict: true))];
    }

    /// <summary>Where the committed files are.</summary>
    public static string CommittedPath => Path.Combine(Repository.Root, Folder);

    public IReadOnlyList<PublishedFile> Files { get; }

    public IReadOnlyList<object> Objects { get; }

    /// <summary>The secret parameters of the model rendered, with the values made for it.</summary>
    public IReadOnlyList<Parameter> Secrets { get; }

    /// <summary>The topology of <c>dotnet run --project ReplicatedLog.AppHost -- ARGS</c>, rendered.</summary>
    public static KubernetesManifests Render(params string[] args)
    {
        var builder = ClusterHostBuilder.Create(args);
        if (builder.Settings.Dashboard.Enabled)
        {
            builder.AddDashboard();
        }

        var target = new PublishTarget(CommittedPath, Repository.Root);
        var files = new KubernetesPublisher().Render(ReplicatedLog.AppHost.Program.Topology(builder), target);
        return new KubernetesManifests(files, [.. builder.Parameters.Where(p => p.Secret)]);
    }

    /// <summary>The file named <paramref name="name"/> (<c>master.yaml</c>).</summary>
    public PublishedFile File(string name) =>
        Files.Single(f => Path.GetFileName(f.Path) == name);

    public T Get<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        Objects.OfType<T>().SingleOrDefault(o => o.Metadata.Name == name)
        ?? throw new KeyNotFoundException($"No {typeof(T).Name} named {name}; there are {string.Join(", ", Objects.Cast<IKubernetesObject<V1ObjectMeta>>().Select(o => $"{o.Kind}/{o.Metadata.Name}"))}.");

    /// <summary>Every container of every workload.</summary>
    public IEnumerable<V1Container> Containers =>
        Objects.OfType<V1StatefulSet>().SelectMany(s => s.Spec.Template.Spec.Containers)
            .Concat(Objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers));

    /// <summary>The container of the StatefulSet or Deployment named <paramref name="workload"/>.</summary>
    public V1Container Container(string workload) =>
        (Objects.OfType<V1StatefulSet>().SingleOrDefault(s => s.Metadata.Name == workload)?.Spec.Template.Spec
            ?? Get<V1Deployment>(workload).Spec.Template.Spec).Containers.Single();

    /// <summary>A container's variable as written: its value, or null when it is read from elsewhere (a Secret, a field).</summary>
    public static V1EnvVar Variable(V1Container container, string name) =>
        container.Env.SingleOrDefault(e => e.Name == name)
        ?? throw new KeyNotFoundException($"{container.Name} has no variable {name}; it has {string.Join(", ", container.Env.Select(e => e.Name))}.");
}
