using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Core.Contracts;

/// <summary>Master to secondary: entries of log <paramref name="LogId"/> in index order.</summary>
public sealed record AppendEntriesRequest(string LogId, IReadOnlyList<LogEntry> Entries);

/// <summary>
/// Secondary to master: a cumulative acknowledgement. <paramref name="AppliedIndex"/> is the highest index the
/// secondary has applied (visible to its reads); <paramref name="InstanceId"/> changes every time the secondary
/// process starts, so the master can tell a restart from a late answer.
/// </summary>
public sealed record AppendEntriesResponse(string InstanceId, string? LogId, long AppliedIndex, int HeldBack);

/// <summary>Master to secondary, every heartbeat interval.</summary>
public sealed record HeartbeatRequest(string LogId, long MasterLastIndex);

/// <summary>
/// Secondary to master: who it is, what it holds (<paramref name="AppliedIndex"/>: applied and durable), how slow it
/// is told to be, and the running checksum of its log at <paramref name="AppliedIndex"/>, by which the master tells
/// whether the two logs match.
/// </summary>
public sealed record HeartbeatResponse(
    string InstanceId,
    string? LogId,
    long AppliedIndex,
    int HeldBack,
    int DelayMs,
    bool LogIdMismatch,
    string? Checksum = null);

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
