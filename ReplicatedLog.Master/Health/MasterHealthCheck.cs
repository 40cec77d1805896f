using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReplicatedLog.Master.Replication;

namespace ReplicatedLog.Master.Health;

/// <summary>
/// The master's readiness: Healthy while writable, Degraded while read-only (reads still work), with each
/// secondary's status, acknowledged index and lag.
/// </summary>
public sealed class MasterHealthCheck(
    MasterLog log, SecondaryRegistry registry, WriteGate gate, AcknowledgementBarrier barrier, LogAdoption adoption)
    : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var last = log.LastIndex;
        var writable = gate.IsWritable;
        var data = new Dictionary<string, object>
        {
            ["role"] = "master",
            ["logId"] = log.LogId,
            ["lastIndex"] = last,
            ["durableIndex"] = log.DurableIndex,
            ["generation"] = log.Generation,
            ["base"] = log.Base,
            ["readOnly"] = !writable,
            ["adoption"] = new { state = adoption.State.ToString(), detail = adoption.Detail },
            ["quorum"] = new
            {
                enabled = gate.QuorumEnabled,
                nodes = 1 + registry.Count,
                up = 1 + gate.Reachable,
                majority = QuorumRule.Majority(registry.Count),
            },
            ["pendingWrites"] = barrier.PendingWaits,
            ["secondaries"] = registry.Peers.Select(p => p.Describe(last)).ToList(),
        };
        var result = writable
            ? HealthCheckResult.Healthy(gate.Describe(), data)
            : HealthCheckResult.Degraded(gate.Describe(), data: data);
        return Task.FromResult(result);
    }
}
