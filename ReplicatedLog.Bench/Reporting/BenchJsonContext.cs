using System.Text.Json.Serialization;

namespace ReplicatedLog.Bench.Reporting;

/// <summary>The shape of <c>--json</c>: <see cref="BenchReport"/> in camelCase, indented, nulls written.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
