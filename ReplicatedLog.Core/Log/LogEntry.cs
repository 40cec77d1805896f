using System.Text.Json.Serialization;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Core.Log;

/// <summary>
/// One message at its place in the log. Indexes start at 1 and have no gaps. <paramref name="Generation"/> is the
/// generation of the master run that gave the entry its index (0 for an entry stored before entries recorded one).
/// The same record is stored and travels on the wire (<c>{"index": 7, "message": "text", "generation": 2}</c>).
/// </summary>
[JsonConverter(typeof(LogEntryJsonConverter))]
public sealed record LogEntry(long Index, string Message, long Generation = 0);
