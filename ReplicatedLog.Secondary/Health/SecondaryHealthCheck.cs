using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReplicatedLog.Secondary.Faults;
using ReplicatedLog.Secondary.Registration;
using ReplicatedLog.Secondary.Replication;

namespace ReplicatedLog.Secondary.Health;

/// <summary>
/// A secondary's readiness: what it has applied, what it holds back, its delay and log id. Degraded while paused
/// or while it holds entries of a log the master no longer serves (it then refuses appends).
/// </summary>
public sealed class SecondaryHealthCheck(Replica replica, FaultInjector faults, MasterContact contact) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var log = replica.Log;
        var refusedLogId = replica.RefusedLogId;
        var data = new Dictionary<string, object>
        {
            ["role"] = "secondary",
            ["instanceId"] = log.InstanceId,
            ["logId"] = log.LogId ?? "",
            ["generation"] = log.Generation,
            ["appliedIndex"] = log.LastIndex,
            ["heldBack"] = log.HeldBackCount,
            ["delayMs"] = replica.Delay.CurrentMs,
            ["paused"] = faults.Paused,
            ["faultsEnabled"] = faults.Enabled,
            ["lastHeardFromMaster"] = contact.LastHeard,
            ["refusedLogId"] = refusedLogId ?? "",
        };
        var result = (faults.Paused, refusedLogId) switch
        {
            (true, _) => HealthCheckResult.Degraded("paused by fault injection", data: data),
            (_, { } refused) => HealthCheckResult.Degraded(
                $"holds entries of log {log.LogId} and refuses the master's log {refused}", data: data),
            _ => HealthCheckResult.Healthy($"applied up to {log.LastIndex}", data),
        };
        return Task.FromResult(result);
    }
}
