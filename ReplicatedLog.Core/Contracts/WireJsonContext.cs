using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReplicatedLog.Core.Contracts;

/// <summary>Source-generated JSON for the wire contracts: the replication hot path pays no reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AppendEntriesRequest))]
[JsonSerializable(typeof(AppendEntriesResponse))]
[JsonSerializable(typeof(StreamedAppend))]
[JsonSerializable(typeof(StreamedAnswer))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(RegisterSecondaryRequest))]
[JsonSerializable(typeof(RegisterSecondaryResponse))]
[JsonSerializable(typeof(RemoveSecondaryResponse))]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(DelaySettings))]
[JsonSerializable(typeof(AppendMessageResponse))]
[JsonSerializable(typeof(LogPage))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(SecondaryHealthDto))]
public sealed partial class WireJsonContext : JsonSerializerContext;
