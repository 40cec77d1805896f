using System.Text.RegularExpressions;
using ReplicatedLog.AppHost.Hosting.Dashboard;
using ReplicatedLog.AppHost.Hosting.Model;
using ReplicatedLog.AppHost.Hosting.Publishing.Kubernetes;
using static ReplicatedLog.AppHost.Hosting.Publishing.Kubernetes.YamlDocument;

namespace ReplicatedLog.AppHost.Hosting.Publishing;

/// <summary>
/// Writes the topology as Kubernetes manifests and a kustomization (<c>kubectl apply -k</c>): the master as a
/// StatefulSet of one with its volume and a Service; the secondaries as one StatefulSet (as many replicas as the
/// AppHost runs secondaries), a volume each and a headless Service that gives each pod a stable name
/// (<c>secondary-0.secondary</c>); the dashboard, when the topology has one, as a Deployment and a Service. The
/// secondaries join by registering with the master, which is given no list of them, so
/// <c>kubectl scale statefulset secondary --replicas=5</c> grows the cluster and a pod stopped by a scale-down
/// deregisters as it stops. Secrets (the cluster token, the dashboard's keys) are read from a Secret that the
/// kustomization makes from a <c>secrets.env</c> the user writes; no value of one is in the files.
/// </summary>
public sealed class KubernetesPublisher : IPublisher
{
    /// <summary>The Secret the containers read their secrets from, one key per secret parameter.</summary>
    public const string SecretName = "replicatedlog";

    /// <summary>The file beside the manifests that the kustomization makes the Secret from (never committed).</summary>
    public const string SecretsFile = "secrets.env";

    /// <summary>Where a project listens in its container: the port of ASP.NET's images (<c>ASPNETCORE_HTTP_PORTS=8080</c>).</summary>
    public const int ServicePort = 8080;

    /// <summary>Where a node's volume is mounted, and so its <c>Storage__Path</c>.</summary>
    public const string DataPath = "/data";

    /// <summary>The StatefulSet and headless Service of the secondaries, and the prefix of their pods' names.</summary>
    public const string SecondaryWorkload = "secondary";

    private const string MasterName = "master";
    private const string AlivePath = "/alive";
    private const string PodName = "POD_NAME";

    /// <summary>The user of ASP.NET's images (<c>APP_UID</c>): the pods run as it, and it owns the volumes.</summary>
    private const int AppUid = 1654;

    /// <summary>The dashboard's ports in its image: Aspire's, whatever the AppHost moves them to on this machine.</summary>
    private static readonly DashboardSettings DashboardPorts = new();

    public string Name => "kubernetes";

    public IReadOnlyList<PublishedFile> Render(ClusterHostBuilder builder, PublishTarget target)
    {
        var resources = builder.BuildModel();
        var settings = builder.Settings;
        var master = builder[MasterName];
        var secondaries = settings.SecondaryNames.Select(name => builder[name]).ToList();
        if (secondaries.Count == 0)
        {
            throw new ArgumentException(
                "The kubernetes publisher renders the secondaries' StatefulSet from the first secondary: publish with one or more " +
                "(--secondaries 1) and scale to none with kubectl scale statefulset secondary --replicas=0.");
        }

        var dashboard = resources.FirstOrDefault(r => r.Name == DashboardResource.ResourceName);
        var env = new ContainerEnvironment(builder.Parameters, [.. resources.SelectMany(r => r.Endpoints)], SecretName, ServiceUrl, ContainerPort);
        var header = Header(target);

        var files = new List<(string Name, string Content)>
        {
            ("master.yaml", Write(header.Concat(MasterNotes),
                Node(master, MasterName, 1, Master(master, secondaries, env), podManagement: null),
                Service(master, MasterName, headless: false))),
            ("secondary.yaml", Write(header.Concat(SecondaryNotes(settings)),
                Node(secondaries[0], SecondaryWorkload, secondaries.Count, Secondary(secondaries[0], master, env), podManagement: "Parallel"),
                Service(secondaries[0], SecondaryWorkload, headless: true))),
        };
        if (dashboard is not null)
        {
            files.Add(("dashboard.yaml", Write(header.Concat(DashboardNotes), Dashboard(dashboard, env), Service(dashboard, dashboard.Name, headless: false))));
        }

        var manifests = files.Select(f => f.Name).ToList();
        files.Add(("kustomization.yaml", Write(header.Concat(KustomizationNotes(env.SecretKeys, Image(secondaries[0]))), Kustomization(manifests))));
        files.Add((".gitignore", string.Concat(header.Select(line => $"# {line}".TrimEnd() + "\n"))
            + $"# The secrets the kustomization makes its Secret from: never committed.\n{SecretsFile}\n"));
        return [.. files.Select(f => new PublishedFile(Path.Combine(target.OutputPath, f.Name), f.Content))];
    }

    /// <summary>The master's variables: those of the model, less its references to the secondaries (they register).</summary>
    private static List<object> Master(ServiceResource master, IReadOnlyList<ServiceResource> secondaries, ContainerEnvironment env)
    {
        var secondaryEndpoints = secondaries.SelectMany(s => s.Endpoints).Select(e => e.ValueFor(ExecutionMode.Publish)).ToList();
        var changes = master.EnvironmentFor(ExecutionMode.Publish)
            .Where(v => secondaryEndpoints.Any(e => v.Value.Contains(e, StringComparison.Ordinal)))
            .ToDictionary(v => v.Key, _ => (string?)null);
        changes["Storage__Path"] = DataPath;
        return env.For(master, [], changes);
    }

    /// <summary>
    /// A secondary pod's variables: those of the first secondary, with its name (in its service name and telemetry)
    /// the pod's own, no delay, its volume, and what it registers with: the master's address, its name, and the
    /// address of its pod under the headless Service.
    /// </summary>
    private static List<object> Secondary(ServiceResource template, ServiceResource master, ContainerEnvironment env)
    {
        var ownName = new Regex($@"(?<![\w-]){Regex.Escape(template.Name)}(?![\w-])", RegexOptions.CultureInvariant);
        var changes = template.EnvironmentFor(ExecutionMode.Publish)
            .Where(v => ownName.IsMatch(v.Value))
            .ToDictionary(v => v.Key, v => (string?)ownName.Replace(v.Value, $"$({PodName})"));
        changes["Storage__Path"] = DataPath;
        changes["Replication__DelayMs"] = "0";
        changes[$"services__{master.Name}__http__0"] = master.GetEndpoint().ValueFor(ExecutionMode.Publish);
        changes["Secondary__Name"] = $"$({PodName})";
        changes["Secondary__AdvertisedUrl"] = $"http://$({PodName}).{SecondaryWorkload}:{ServicePort}";
        var podName = Map(("name", PodName), ("valueFrom", Map(("fieldRef", Map(("fieldPath", "metadata.name"))))));
        return env.For(template, [podName], changes);
    }

    /// <summary>A node (master or secondaries): a StatefulSet whose pods each keep their log on a volume of their own.</summary>
    private static Dictionary<string, object> Node(ServiceResource resource, string name, int replicas, List<object> env, string? podManagement)
    {
        var container = Container(resource, name, env, Map(
            ("requests", Map(("cpu", "100m"), ("memory", "128Mi"))),
            ("limits", Map(("memory", "512Mi")))));
        container.Add(("volumeMounts", List(Map(("name", "data"), ("mountPath", DataPath)))));
        return Map(
            ("apiVersion", "apps/v1"),
            ("kind", "StatefulSet"),
            ("metadata", Metadata(name)),
            ("spec", Map(
                ("serviceName", name),
                ("replicas", replicas),
                ("podManagementPolicy", podManagement),
                ("selector", Map(("matchLabels", Labels(name)))),
                ("template", Map(
                    ("metadata", Map(("labels", Labels(name)))),
                    ("spec", PodSpec(container)))),
                ("volumeClaimTemplates", List(Map(
                    ("metadata", Map(("name", "data"))),
                    ("spec", Map(
                        ("accessModes", List("ReadWriteOnce")),
                        ("resources", Map(("requests", Map(("storage", "1Gi")))))))))))));
    }

    private static Dictionary<string, object> Dashboard(ServiceResource dashboard, ContainerEnvironment env)
    {
        // No AppHost runs beside it here: there is no resource service to read.
        var changes = dashboard.EnvironmentFor(ExecutionMode.Publish).Keys
            .Where(k => k.StartsWith(DashboardResource.ResourceServiceClientSection, StringComparison.Ordinal))
            .ToDictionary(k => k, _ => (string?)null);
        var container = Container(dashboard, dashboard.Name, env.For(dashboard, [], changes), Map(
            ("requests", Map(("cpu", "100m"), ("memory", "256Mi"))),
            ("limits", Map(("memory", "1Gi")))));
        return Map(
            ("apiVersion", "apps/v1"),
            ("kind", "Deployment"),
            ("metadata", Metadata(dashboard.Name)),
            ("spec", Map(
                ("replicas", 1),
                ("selector", Map(("matchLabels", Labels(dashboard.Name)))),
                ("template", Map(
                    ("metadata", Map(("labels", Labels(dashboard.Name)))),
                    ("spec", PodSpec(container)))))));
    }

    /// <summary>
    /// The pod: its one container, run as the images' user, with a group that owns the volume, and time to stop
    /// gracefully (a secondary deregisters within <c>Registration__DeregisterTimeoutMs</c>, 2 s).
    /// </summary>
    private static Dictionary<string, object> PodSpec(IEnumerable<(string, object?)> container) =>
        Map(
            ("terminationGracePeriodSeconds", 15),
            ("securityContext", Map(("runAsNonRoot", true), ("runAsUser", AppUid), ("runAsGroup", AppUid), ("fsGroup", AppUid))),
            ("containers", List(Map([.. container]))));

    /// <summary>
    /// The container of <paramref name="resource"/>: its image, its ports, its variables, a start-up probe on
    /// <c>/alive</c> that gives a node time to replay a long log, liveness on <c>/alive</c>, readiness on the
    /// resource's own health check (<c>/health</c>), and its resources.
    /// </summary>
    private static List<(string, object?)> Container(ServiceResource resource, string name, List<object> env, Dictionary<string, object> limits)
    {
        var ready = resource.HealthUrl?.AbsolutePath ?? AlivePath;
        return
        [
            ("name", name),
            ("image", Image(resource)),
            ("imagePullPolicy", "IfNotPresent"),
            ("ports", List(resource.Endpoints.Select(e => Map(("name", e.Name), ("containerPort", ContainerPort(e)))))),
            ("env", env),
            ("startupProbe", Probe(AlivePath, periodSeconds: 2, failureThreshold: 90)),
            ("livenessProbe", Probe(AlivePath, periodSeconds: 10, failureThreshold: 3)),
            ("readinessProbe", Probe(ready, periodSeconds: 5, failureThreshold: 2)),
            ("resources", limits),
        ];
    }

    private static Dictionary<string, object> Probe(string path, int periodSeconds, int failureThreshold) =>
        Map(
            ("httpGet", Map(("path", path), ("port", "http"))),
            ("periodSeconds", periodSeconds),
            ("timeoutSeconds", 2),
            ("failureThreshold", failureThreshold));

    /// <summary>
    /// The Service in front of a workload, named as it is. A headless one publishes its pods' addresses before they
    /// are ready, so the master reaches a secondary that has registered before its first readiness probe.
    /// </summary>
    private static Dictionary<string, object> Service(ServiceResource resource, string name, bool headless) =>
        Map(
            ("apiVersion", "v1"),
            ("kind", "Service"),
            ("metadata", Metadata(name)),
            ("spec", Map(
                ("clusterIP", headless ? "None" : null),
                ("publishNotReadyAddresses", headless ? true : null),
                ("selector", Labels(name)),
                ("ports", List(resource.Endpoints.Select(e => Map(
                    ("name", e.Name), ("port", ContainerPort(e)), ("targetPort", e.Name))))))));

    private static Dictionary<string, object> Kustomization(IEnumerable<string> manifests) =>
        Map(
            ("apiVersion", "kustomize.config.k8s.io/v1beta1"),
            ("kind", "Kustomization"),
            ("resources", List(manifests)),
            ("secretGenerator", List(Map(("name", SecretName), ("envs", List(SecretsFile))))));

    private static Dictionary<string, object> Metadata(string name) => Map(("name", name), ("labels", Labels(name)));

    private static Dictionary<string, object> Labels(string name) =>
        Map(("app.kubernetes.io/name", name), ("app.kubernetes.io/part-of", "replicatedlog"));

    /// <summary>The image built from a project's Dockerfile: <c>ReplicatedLog.Master</c> is <c>replicatedlog-master:latest</c>.</summary>
    public static string Image(ServiceResource resource) => resource.Command is ResourceCommand.Project project
        ? $"{project.Name.ToLowerInvariant().Replace('.', '-')}:latest"
        : throw new InvalidOperationException($"{resource.Name} runs no project: the kubernetes publisher has no image for it.");

    private static int ContainerPort(Endpoint endpoint) => (endpoint.Resource, endpoint.Name) switch
    {
        (DashboardResource.ResourceName, DashboardResource.OtlpGrpcEndpoint) => DashboardPorts.OtlpGrpcPort,
        (DashboardResource.ResourceName, DashboardResource.OtlpHttpEndpoint) => DashboardPorts.OtlpHttpPort,
        (DashboardResource.ResourceName, _) => DashboardPorts.Port,
        _ => ServicePort,
    };

    /// <summary>An endpoint as the pods reach it: through the Service named as its resource.</summary>
    private static string ServiceUrl(Endpoint endpoint) => $"{endpoint.Scheme}://{endpoint.Resource}:{ContainerPort(endpoint)}";

    private static IEnumerable<string> Header(PublishTarget target)
    {
        var output = Path.GetRelativePath(target.SourceRoot, target.OutputPath).Replace('\\', '/');
        return
        [
            $"Generated by `dotnet run --project ReplicatedLog.AppHost -- --publisher kubernetes --output-path {output}`",
            "from the AppHost's topology (ReplicatedLog.AppHost/Program.cs). Do not edit: change the topology and publish again.",
            "",
        ];
    }

    private static readonly string[] MasterNotes =
    [
        "The master: a StatefulSet of one (a second replica would be a second log) whose log lives on its volume",
        $"(Storage__Path={DataPath}), and the Service `master` that the secondaries register with and clients append to",
        $"(kubectl port-forward service/master 8000:{ServicePort}, then http://localhost:8000/). It is given no list of",
        "secondaries: they register, and it keeps those that did on its volume (members.json), so that restarted it counts",
        "them at once for w=all, majority and quorum. One that left while the master was down stays a member until removed:",
        "curl -X DELETE localhost:8000/admin/secondaries/<pod> -H \"Authorization: Bearer <cluster-token>\".",
        "Started on an empty volume (a new cluster, or a master that lost its volume), it is read-only for",
        "Replication__AdoptionWaitMs (15 s, more than the secondaries' Registration__ReregisterAfterMs) while they register",
        "again, then adopts the log they hold, or starts a new one if none registered (a new cluster pays this wait once).",
    ];

    private static IEnumerable<string> SecondaryNotes(AppHostSettings settings) =>
    [
        $"The secondaries: one StatefulSet of {settings.Secondaries} (the AppHost's --secondaries), a volume each, and the headless",
        $"Service that names each pod (secondary-0.{SecondaryWorkload}, ...). Each registers with the master as its pod's name at",
        $"http://<pod>.{SecondaryWorkload}:{ServicePort}, so `kubectl scale statefulset {SecondaryWorkload} --replicas=5` grows the cluster;",
        "a pod removed by a scale-down gets SIGTERM and deregisters before it stops (its volume is kept, and a later",
        "scale-up brings its log back). The pods start and stop in parallel: they are peers, not a sequence.",
        "Every pod starts without a delay (Replication__DelayMs=0): the pods of one StatefulSet share their variables,",
        "so the AppHost's delay per secondary (--delay) is not carried over. Slow one down at run time:",
        $"kubectl port-forward pod/secondary-1 8001:{ServicePort}, then",
        "curl -X PUT localhost:8001/admin/delay -H \"Authorization: Bearer <cluster-token>\" -d '{\"delayMs\": 2000}'.",
    ];

    private static readonly string[] DashboardNotes =
    [
        "The dashboard: a Deployment and its Service. The nodes send it their telemetry (OTLP/HTTP with its API key); its",
        "pages need the browser token: kubectl port-forward service/dashboard 18888:18888, then",
        "http://localhost:18888/login?t=<dashboard-browser-token>. It keeps telemetry in memory only.",
        "No AppHost runs beside it in a cluster, so its Resources page is empty; its Cluster page reads the master.",
    ];

    private static IEnumerable<string> KustomizationNotes(IReadOnlyCollection<string> secretKeys, string image)
    {
        var repository = image.Split(':')[0];
        return
        [
            "Deploy: kubectl apply -k <this folder>. Scale: kubectl scale statefulset secondary --replicas=5.",
            "",
            $"Secrets: the Secret `{SecretName}` is made from {SecretsFile} beside this file, which you write once and never commit",
            "(.gitignore keeps it out); without it `kubectl apply -k` stops. For example:",
            $"  {{ {string.Join("; ", secretKeys.Select(k => $"echo \"{k}=$(openssl rand -hex 24)\""))}; }} > {SecretsFile}",
            "",
            "Images: each is built from its project's Dockerfile, from the repository's root, for example",
            "  docker build -f ReplicatedLog.Master/Dockerfile -t replicatedlog-master:latest .",
            "and the pods take it from the node (imagePullPolicy: IfNotPresent): load it there (kind load docker-image ...,",
            "minikube image load ...). For a cluster that pulls from a registry, push each one and name it here, e.g.",
            $"  docker tag {image} registry.example.com/{image} && docker push registry.example.com/{image}",
            $"  kustomize edit set image {repository}=registry.example.com/{image}",
            "",
            "Resources: each pod requests a little CPU and memory and is limited in memory only (a leak ends in a restart,",
            "not in a starved node); no CPU limit, so a throttled master does not miss heartbeats and think its secondaries slow.",
        ];
    }
}
