using Microsoft.Extensions.Logging;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Secondary.Faults;

/// <summary>
/// The secondary's current delay and injected faults. The delay always applies and is changed at run time through
/// <c>PUT /admin/delay</c>; the faults only when fault injection is enabled in configuration, through
/// <c>PUT /admin/faults</c> (which may change the delay too).
/// </summary>
public sealed partial class FaultInjector
{
    /// <summary>The longest delay before applying: one hour (the range of <c>Replication:DelayMs</c>).</summary>
    public const int MaxDelayMs = 3_600_000;

    private readonly Lock _gate = new();
    private readonly ILogger<FaultInjector> _logger;
    private TimeSpan _delay;
    private double _errorAfterApplyRate;
    private double _dropRate;
    private TaskCompletionSource? _resumed;

    public FaultInjector(FaultOptions options, int delayMs, ILogger<FaultInjector> logger)
    {
        _logger = logger;
        Enabled = options.Enabled;
        _delay = TimeSpan.FromMilliseconds(delayMs);
        if (Enabled)
        {
            Change(new FaultSettings(null, options.ErrorAfterApplyRate, options.DropRate, options.Paused));
        }
    }

    public bool Enabled { get; }

    public TimeSpan Delay
    {
        get
        {
            lock (_gate)
            {
                return _delay;
            }
        }
    }

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
                return new FaultSettings((int)_delay.TotalMilliseconds, _errorAfterApplyRate, _dropRate, _resumed is not null);
            }
        }
    }

    /// <summary>Applies the fields that are set; validated by the caller.</summary>
    public FaultSettings Change(FaultSettings settings)
    {
        TaskCompletionSource? resume = null;
        lock (_gate)
        {
            if (settings.DelayMs is { } delay)
            {
                _delay = TimeSpan.FromMilliseconds(delay);
            }

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
        LogChanged(_logger, current.DelayMs ?? 0, current.ErrorAfterApplyRate ?? 0, current.DropRate ?? 0, current.Paused ?? false);
        return current;
    }

    /// <summary>Sets the delay before each batch is applied and acknowledged; validated by the caller.</summary>
    public TimeSpan ChangeDelay(int delayMs)
    {
        var delay = TimeSpan.FromMilliseconds(delayMs);
        lock (_gate)
        {
            _delay = delay;
        }

        LogDelayChanged(_logger, delayMs);
        return delay;
    }

    /// <summary>Completes at once unless paused; then when resumed.</summary>
    public Task WhenRunningAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _resumed is null ? Task.CompletedTask : _resumed.Task.WaitAsync(cancellationToken);
        }
    }

    public bool ShouldDrop() => Enabled && Roll(Volatile.Read(ref _dropRate));

    public bool ShouldFailAfterApply() => Enabled && Roll(Volatile.Read(ref _errorAfterApplyRate));

    private static bool Roll(double rate) => rate > 0 && Random.Shared.NextDouble() < rate;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Faults now: delay {DelayMs} ms, error after apply {ErrorRate:P0}, drop {DropRate:P0}, paused {Paused}")]
    private static partial void LogChanged(ILogger logger, int delayMs, double errorRate, double dropRate, bool paused);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delay before applying now {DelayMs} ms")]
    private static partial void LogDelayChanged(ILogger logger, int delayMs);
}
