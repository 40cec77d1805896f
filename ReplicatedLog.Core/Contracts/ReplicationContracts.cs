using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Contracts;

/// <summary>
/// Master to secondary: entries of log <paramref name="LogId"/> in index order, sent by the master run
/// <paramref name="Generation"/>, which started holding entries 1 to <paramref name="Base"/>.
/// <paramref name="PrevChecksum"/> is the master's running checksum at the index before the first entry: the entry
/// this batch continues (null: not said).
/// </summary>
/// <remarks>
/// A secondary ignores a request from a generation older than the newest it has followed; the first request of a
/// newer generation (or its heartbeat) drops what the secondary holds after <paramref name="Base"/>, entries a master
/// run sent before it crashed and lost them, none of which was acknowledged to a client.
/// </remarks>
public sealed record AppendEntriesRequest(
    string LogId, IReadOnlyList<LogEntry> Entries, long Generation = 0, long Base = 0, string? PrevChecksum = null);

/// <summary>
/// Secondary to master: a cumulative acknowledgement. <paramref name="AppliedIndex"/> is the highest index the
/// secondary has applied (visible to its reads); <paramref name="InstanceId"/> changes every time the secondary
/// process starts, so the master can tell a restart from a late answer.
/// </summary>
public sealed record AppendEntriesResponse(string InstanceId, string? LogId, long AppliedIndex, int HeldBack);

/// <summary>
/// Master to secondary, one message of the replication stream: an append as <c>POST /replication/append</c> takes it,
/// with the W3C trace context (<c>traceparent</c>) of the batch that an HTTP request would carry in its headers.
/// </summary>
public sealed record StreamedAppend(AppendEntriesRequest Request, string? TraceParent = null);

/// <summary>
/// Secondary to master, one message of the replication stream: the answer to the append before it, with the status
/// <c>POST /replication/append</c> would answer: 200 with <paramref name="Response"/>; 400 (a malformed append), 409
/// (another log, or an older run of the master) or 500 (an injected fault) with <paramref name="Detail"/>.
/// </summary>
public sealed record StreamedAnswer(int Status, AppendEntriesResponse? Response = null, string? Detail = null);

/// <summary>
/// Master to secondary, every heartbeat interval; it carries the master's generation and base as an append does, so
/// that a secondary drops a lost suffix as soon as a new master run speaks to it.
/// </summary>
public sealed record HeartbeatRequest(string LogId, long MasterLastIndex, long Generation = 0, long Base = 0);

/// <summary>
/// Secondary to master: who it is, what it holds (<paramref name="AppliedIndex"/>: applied and durable), how slow it
/// is told to be, the running checksum of its log at <paramref name="AppliedIndex"/>, by which the master tells
/// whether the two logs match, and the newest generation of the master it has followed.
/// </summary>
public sealed record HeartbeatResponse(
    string InstanceId,
    string? LogId,
    long AppliedIndex,
    int HeldBack,
    int DelayMs,
    bool LogIdMismatch,
    string? Checksum = null,
    long Generation = 0);

/// <summary>A secondary announcing itself to the master so that it joins the cluster at run time.</summary>
public sealed record RegisterSecondaryRequest(string Name, string Url);

/// <summary>The master's answer to <c>DELETE /admin/secondaries/{name}</c>: who left, and the cluster size after it.</summary>
public sealed record RemoveSecondaryResponse(string Name, string Url, int Secondaries);

/// <summary>The master's answer to a registration: the cluster size after it.</summary>
public sealed record RegisterSecondaryResponse(string Name, string Url, string LogId, int Secondaries);

/// <summary>
/// Fault injection settings of a secondary, for <c>PUT /admin/faults</c>. A null field leaves that setting as it is.
/// </summary>
public sealed record FaultSettings(int? DelayMs, double? ErrorAfterApplyRate, double? DropRate, bool? Paused);

/// <summary>A secondary's delay before it applies and acknowledges a batch, for <c>GET</c>/<c>PUT /admin/delay</c>.</summary>
public sealed record DelaySettings(int DelayMs);
