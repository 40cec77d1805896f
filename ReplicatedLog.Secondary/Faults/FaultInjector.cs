using Microsoft.Extensions.Logging;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Secondary.Faults;

/// <summary>
/// The secondary's injected faults (when fault injection is enabled in configuration), changed at run time through
/// <c>PUT /admin/faults</c>. They act from outside the replica, through <see cref="FaultFilter"/>.
/// </summary>
public sealed partial class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly ILogger<FaultInjector> _logger;
    private double _errorAfterApplyRate;
    private double _dropRate;
    private TaskCompletionSource? _resumed;

    public FaultInjector(FaultOptions options, ILogger<FaultInjector> logger)
    {
        _logger = logger;
        Enabled = options.Enabled;
        if (Enabled)
        {
            Change(new FaultSettings(null, options.ErrorAfterApplyRate, options.DropRate, options.Paused));
        }
    }

    public bool Enabled { get; }

    public bool Paused
    {
        get
        {
            lock (_gate)
            {
                return _resumed is not null;
            }
        }
    }

    public FaultSettings Current
    {
        get
        {
            lock (_gate)
            {
                return new FaultSettings(null, _errorAfterApplyRate, _dropRate, _resumed is not null);
            }
        }
    }

    /// <summary>Applies the fault fields that are set (the delay is the replica's); validated by the caller.</summary>
    public FaultSettings Change(FaultSettings settings)
    {
        TaskCompletionSource? resume = null;
        lock (_gate)
        {
            _errorAfterApplyRate = settings.ErrorAfterApplyRate ?? _errorAfterApplyRate;
            _dropRate = settings.DropRate ?? _dropRate;
            if (settings.Paused == true)
            {
                _resumed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else if (settings.Paused == false)
            {
                resume = _resumed;
                _resumed = null;
            }
        }

        resume?.TrySetResult();
        var current = Current;
        LogChanged(_logger, current.ErrorAfterApplyRate ?? 0, current.DropRate ?? 0, current.Paused ?? false);
        return current;
    }

    /// <summary>Completes at once unless paused; then when resumed.</summary>
    public Task WhenRunningAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _resumed is null ? Task.CompletedTask : _resumed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Whether to drop this replication request before applying it (and says so in the log when it does).</summary>
    public bool ShouldDrop()
    {
        if (!Enabled || !Roll(Volatile.Read(ref _dropRate)))
        {
            return false;
        }

        LogDropped(_logger);
        return true;
    }

    /// <summary>
    /// Whether to answer an error although the request was applied up to <paramref name="appliedIndex"/> (and says so
    /// in the log when it does).
    /// </summary>
    public bool ShouldFailAfterApply(long appliedIndex)
    {
        if (!Enabled || !Roll(Volatile.Read(ref _errorAfterApplyRate)))
        {
            return false;
        }

        LogInjectedError(_logger, appliedIndex);
        return true;
    }

    /// <summary>The detail of the error answered by <see cref="ShouldFailAfterApply"/>.</summary>
    public static string FailedAfterApply(long appliedIndex) =>
        $"Injected fault: the entries were applied (up to {appliedIndex}), this answer is an error.";

    private static bool Roll(double rate) => rate > 0 && Random.Shared.NextDouble() < rate;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Injected fault: dropped a replication request before applying")]
    private static partial void LogDropped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Injected fault: answering 500 after applying up to {AppliedIndex}")]
    private static partial void LogInjectedError(ILogger logger, long appliedIndex);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Faults now: error after apply {ErrorRate:P0}, drop {DropRate:P0}, paused {Paused}")]
    private static partial void LogChanged(ILogger logger, double errorRate, double dropRate, bool paused);
}
