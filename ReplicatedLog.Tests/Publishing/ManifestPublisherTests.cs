using System.Text.Json.Nodes;
using NJsonSchema;

namespace ReplicatedLog.Tests.Publishing;

/// <summary>
/// <c>--publisher manifest</c>: an Aspire manifest that Aspire's own schema accepts (the copy beside this file), whose
/// projects, references and secrets say what azd needs to deploy the cluster.
/// </summary>
public sealed class ManifestPublisherTests
{
    [Fact]
    public async Task TheManifestValidatesAgainstAspiresPublishedSchema()
    {
        var schema = await AspireSchemaAsync();
        foreach (var args in new[] { Array.Empty<string>(), ["--secondaries", "4"], ["--no-dashboard"] })
        {
            var errors = schema.Validate(Published.Render("manifest", "aspire-manifest.json", args)["aspire-manifest.json"]);

            Assert.True(errors.Count == 0, $"with [{string.Join(' ', args)}]: " + string.Join(Environment.NewLine, errors.Select(e => $"{e.Path}: {e.Kind} {e}")));
        }

        // The schema read this way still refuses what Aspire's tooling would: a project without its path, a binding with a field it does not know.
        var broken = JsonNode.Parse(Published.Render("manifest", "aspire-manifest.json")["aspire-manifest.json"])!;
        broken["resources"]!["master"]!.AsObject().Remove("path");
        broken["resources"]!["secondary-1"]!["bindings"]!["http"]!["targetport"] = 8080;
        Assert.Equal(["master", "secondary-1"], schema.Validate(broken.ToJsonString()).Select(e => e.Property).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Aspire's schema (copied from ../shared/schemas), spelled so that NJsonSchema 10 reads it as written: it knows
    /// neither <c>const</c> (it would let a <c>project.v0</c> match the <c>project.v1</c> branch too, and fail the
    /// <c>oneOf</c>) nor a property whose schema is the boolean <c>false</c> (a property that must not be there). Each
    /// <c>"const": x</c> is read as <c>"enum": [x]</c> and each such <c>false</c> as <c>{"not": {}}</c>: the same schema.
    /// </summary>
    private static async Task<JsonSchema> AspireSchemaAsync()
    {
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Published.SourceRoot, "ReplicatedLog.Tests", "Publishing", "aspire-8.0.json")))!;
        Assert.True(Respell(schema) > 2, "Aspire's schema no longer has the const and false that this test respells: read it as it is");
        return await JsonSchema.FromJsonAsync(schema.ToJsonString());
    }

    /// <summary>Spells each <c>const</c> and each boolean property schema under <paramref name="node"/> as above; returns how many.</summary>
    private static int Respell(JsonNode? node, bool isProperties = false)
    {
        switch (node)
        {
            case JsonArray array:
                return array.Sum(n => Respell(n));
            case JsonObject o:
                var count = 0;
                if (!isProperties && o["const"] is { } constant)
                {
                    o.Remove("const");
                    o["enum"] = new JsonArray(constant);
                    count++;
                }

                foreach (var (key, value) in o.ToList())
                {
                    if (isProperties && value is JsonValue v && v.TryGetValue<bool>(out var allowed))
                    {
                        o[key] = allowed ? new JsonObject() : new JsonObject { ["not"] = new JsonObject() };
                        count++;
                    }
                    else
                    {
                        count += Respell(value, !isProperties && key == "properties");
                    }
                }

                return count;
            default:
                return 0;
        }
    }

    [Fact]
    public void EachServiceIsAProjectWithItsPathReferencesAndBindingsAndTheTokenIsASecretTheDeploymentGenerates()
    {
        var manifest = JsonNode.Parse(Published.Render("manifest", "aspire-manifest.json")["aspire-manifest.json"])!;
        var resources = manifest["resources"]!.AsObject();

        Assert.Equal("https://json.schemastore.org/aspire-8.0.json", (string?)manifest["$schema"]);
        var master = resources["master"]!;
        Assert.Equal(("project.v0", "ReplicatedLog.Master/ReplicatedLog.Master.csproj"), ((string?)master["type"], (string?)master["path"]));
        Assert.Equal(("{secondary-2.bindings.http.url}", "{cluster-token.value}", "{dashboard.bindings.otlp-http.url}"),
            ((string?)master["env"]!["services__secondary-2__http__0"], (string?)master["env"]!["Cluster__Token"], (string?)master["env"]!["OTEL_EXPORTER_OTLP_ENDPOINT"]));
        Assert.Equal(("http", "tcp", "http", 8080, true), ((string?)master["bindings"]!["http"]!["scheme"], (string?)master["bindings"]!["http"]!["protocol"],
            (string?)master["bindings"]!["http"]!["transport"], (int?)master["bindings"]!["http"]!["targetPort"], (bool?)master["bindings"]!["http"]!["external"]));
        Assert.Equal("2000", (string?)resources["secondary-2"]!["env"]!["Replication__DelayMs"]);
        Assert.Equal("ReplicatedLog.Secondary/ReplicatedLog.Secondary.csproj", (string?)resources["secondary-1"]!["path"]);

        var token = resources["cluster-token"]!;
        Assert.Equal(("parameter.v0", "{cluster-token.inputs.value}", "string", true, 48),
            ((string?)token["type"], (string?)token["value"], (string?)token["inputs"]!["value"]!["type"], (bool?)token["inputs"]!["value"]!["secret"],
                (int?)token["inputs"]!["value"]!["default"]!["generate"]!["minLength"]));
    }

    [Fact]
    public void AManifestWrittenElsewhereNamesTheProjectsRelativeToWhereItIs()
    {
        var manifest = JsonNode.Parse(Published.Render("manifest", "deploy/azure/manifest.json")["manifest.json"])!;

        Assert.Equal("../../ReplicatedLog.Master/ReplicatedLog.Master.csproj", (string?)manifest["resources"]!["master"]!["path"]);
    }
}
