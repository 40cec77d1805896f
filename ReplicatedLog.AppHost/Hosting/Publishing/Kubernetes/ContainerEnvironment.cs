using ReplicatedLog.AppHost.Hosting.Model;
using static ReplicatedLog.AppHost.Hosting.Publishing.Kubernetes.YamlDocument;

namespace ReplicatedLog.AppHost.Hosting.Publishing.Kubernetes;

/// <summary>
/// Turns a resource's environment, as the model gives it for publishing (references and secrets as placeholders),
/// into a container's <c>env</c>: a reference to another resource's endpoint becomes its Service's address
/// (<c>http://master:8080</c>), one to the resource's own endpoint the address it listens on
/// (<c>http://0.0.0.0:18888</c>) and its target port the container's; a secret parameter is read from the Secret (<c>secretKeyRef</c>), through a
/// variable of its own when it is part of a longer value (<c>x-otlp-api-key=$(DASHBOARD_OTLP_API_KEY)</c>, which
/// Kubernetes expands because that variable comes first).
/// </summary>
internal sealed class ContainerEnvironment(
    IReadOnlyList<Parameter> parameters,
    IReadOnlyList<Endpoint> endpoints,
    string secretName,
    Func<Endpoint, string> serviceUrl,
    Func<Endpoint, int> containerPort)
{
    private readonly SortedSet<string> _secretKeys = new(StringComparer.Ordinal);

    /// <summary>The keys of the Secret that the containers rendered so far read.</summary>
    public IReadOnlyCollection<string> SecretKeys => _secretKeys;

    /// <summary>
    /// The <c>env</c> of <paramref name="resource"/>'s container: <paramref name="first"/> (entries as they are, such as
    /// the pod's name), then the variables that secrets inside longer values need, then the resource's variables in
    /// the model's order with <paramref name="changes"/> made (a null value leaves the variable out; a name the model
    /// lacks is added at the end).
    /// </summary>
    public List<object> For(ServiceResource resource, IEnumerable<object> first, IReadOnlyDictionary<string, string?> changes)
    {
        var variables = resource.EnvironmentFor(ExecutionMode.Publish)
            .Where(v => !changes.ContainsKey(v.Key))
            .Concat(changes.Where(c => c.Value is not null).Select(c => KeyValuePair.Create(c.Key, c.Value!)))
            .ToList();
        var env = new List<object>();
        var embedded = new List<object>();
        foreach (var (name, value) in variables)
        {
            if (parameters.FirstOrDefault(p => p.Secret && value == p.ValueFor(ExecutionMode.Publish)) is { } whole)
            {
                env.Add(Map(("name", name), ("valueFrom", SecretRef(whole))));
                continue;
            }

            var text = value;
            foreach (var secret in parameters.Where(p => p.Secret && text.Contains(p.ValueFor(ExecutionMode.Publish), StringComparison.Ordinal)))
            {
                var variable = VariableName(secret);
                if (!embedded.OfType<Dictionary<string, object>>().Any(e => Equals(e["name"], variable)))
                {
                    embedded.Add(Map(("name", variable), ("valueFrom", SecretRef(secret))));
                }

                text = text.Replace(secret.ValueFor(ExecutionMode.Publish), $"$({variable})", StringComparison.Ordinal);
            }

            env.Add(Map(("name", name), ("value", Addresses(resource, text))));
        }

        return [.. first, .. embedded, .. env];
    }

    /// <summary>The placeholders of endpoints in <paramref name="value"/> replaced by addresses in the cluster.</summary>
    private string Addresses(ServiceResource resource, string value)
    {
        if (!value.Contains('{', StringComparison.Ordinal))
        {
            return value;
        }

        foreach (var endpoint in endpoints)
        {
            var address = endpoint.Resource == resource.Name ? $"{endpoint.Scheme}://0.0.0.0:{containerPort(endpoint)}" : serviceUrl(endpoint);
            value = value.Replace(endpoint.ValueFor(ExecutionMode.Publish), address, StringComparison.Ordinal)
                .Replace($"{{{endpoint.Resource}.bindings.{endpoint.Name}.targetPort}}", $"{containerPort(endpoint)}", StringComparison.Ordinal);
        }

        return value;
    }

    private Dictionary<string, object> SecretRef(Parameter secret)
    {
        _secretKeys.Add(secret.Name);
        return Map(("secretKeyRef", Map(("name", secretName), ("key", secret.Name))));
    }

    /// <summary><c>dashboard-otlp-api-key</c> as a variable: <c>DASHBOARD_OTLP_API_KEY</c>.</summary>
    private static string VariableName(Parameter secret) => secret.Name.ToUpperInvariant().Replace('-', '_');
}
