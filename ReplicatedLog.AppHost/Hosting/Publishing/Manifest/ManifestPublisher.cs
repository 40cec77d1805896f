using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ReplicatedLog.AppHost.Hosting.Model;

namespace ReplicatedLog.AppHost.Hosting.Publishing.Manifest;

/// <summary>
/// <c>--publisher manifest</c>: the topology as an Aspire manifest (<c>aspire-8.0</c>), which azd and other Aspire
/// tooling read. Each service is a <c>project.v0</c> (its .csproj relative to the manifest, its environment with
/// Aspire's expressions, its bindings), and each secret it is given is a <c>parameter.v0</c> that the deployment tool
/// generates, as Aspire writes a secret parameter. The manifest has no place for volumes: a deployment tool gives the
/// services' <c>/data</c> whatever storage it gives a container.
/// </summary>
public sealed class ManifestPublisher : IPublisher
{
    public const string SchemaUrl = "https://json.schemastore.org/aspire-8.0.json";

    public string Name => "manifest";

    public IReadOnlyList<PublishedFile> Render(ClusterHostBuilder builder, PublishTarget target)
    {
        var resources = builder.BuildModel();
        var manifestDirectory = Path.GetDirectoryName(target.OutputPath)!;
        var environments = resources.ToDictionary(r => r, r => r.EnvironmentFor(ExecutionMode.Publish));

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUrl);
            json.WriteStartObject("resources");
            foreach (var parameter in Expressions.ParametersIn(environments.Values.SelectMany(e => e.Values), builder.Parameters))
            {
                WriteParameter(json, parameter);
            }

            foreach (var resource in resources)
            {
                WriteProject(json, resource, environments[resource], target, manifestDirectory);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return [new PublishedFile(target.OutputPath, Encoding.UTF8.GetString(stream.ToArray()) + "\n")];
    }

    private static void WriteProject(Utf8JsonWriter json, ServiceResource resource, IReadOnlyDictionary<string, string> environment,
        PublishTarget target, string manifestDirectory)
    {
        var project = resource.Command as ResourceCommand.Project
            ?? throw new NotSupportedException($"The manifest publisher writes projects; {resource.Name} runs {resource.Command}.");
        json.WriteStartObject(resource.Name);
        json.WriteString("type", "project.v0");
        json.WriteString("path", PublishTarget.Relative(manifestDirectory,
            Path.Combine(target.ProjectDirectory(project.Name), $"{project.Name}.csproj")));
        json.WriteStartObject("env");
        foreach (var (name, value) in environment)
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();
        json.WriteStartObject("bindings");
        foreach (var endpoint in resource.Endpoints)
        {
            json.WriteStartObject(endpoint.Name);
            json.WriteString("scheme", endpoint.Scheme);
            json.WriteString("protocol", "tcp");
            json.WriteString("transport", "http");
            json.WriteNumber("targetPort", endpoint.TargetPort);
            if (endpoint.IsExternal)
            {
                json.WriteBoolean("external", true);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// A parameter as Aspire writes one: its value is its input's, which the deployment tool asks for or, for a secret,
    /// generates as long as the AppHost makes it, of letters and digits (it goes into headers and URLs).
    /// </summary>
    private static void WriteParameter(Utf8JsonWriter json, Parameter parameter)
    {
        json.WriteStartObject(parameter.Name);
        json.WriteString("type", "parameter.v0");
        json.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        json.WriteStartObject("inputs");
        json.WriteStartObject("value");
        json.WriteString("type", "string");
        if (parameter.Secret)
        {
            json.WriteBoolean("secret", true);
            json.WriteStartObject("default");
            json.WriteStartObject("generate");
            json.WriteNumber("minLength", parameter.Value.Length);
            json.WriteBoolean("special", false);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        else
        {
            json.WriteStartObject("default");
            json.WriteString("value", parameter.Value);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
