using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ReplicatedLog.ServiceDefaults.Resilience;

/// <summary>
/// Builds the project's resilience pipeline: a timeout on every attempt inside a retry that never gives up on a
/// transient failure, with exponential backoff, jitter and a cap. Only cancellation of the caller's token ends it.
/// </summary>
public static partial class RetryPipeline
{
    /// <param name="target">Who is called, for the logs.</param>
    /// <param name="options">Backoff and timeout settings.</param>
    /// <param name="isTransient">Which exceptions are worth another attempt (attempt timeouts always are).</param>
    /// <param name="timeProvider">The clock that backoff and timeouts wait on.</param>
    /// <param name="logger">Where each retry is told.</param>
    /// <param name="delayOverride">When it returns a value, that is the next wait instead of the backoff.</param>
    /// <param name="extraAttemptTime">Time added to each attempt's timeout (a peer known to be slow).</param>
    /// <param name="onFailure">Told of every failed attempt that is retried, with what failed it.</param>
    public static ResiliencePipeline CreateUnbounded(
        string target,
        RetryOptions options,
        Func<Exception, bool> isTransient,
        TimeProvider timeProvider,
        ILogger logger,
        Func<TimeSpan?>? delayOverride = null,
        Func<TimeSpan>? extraAttemptTime = null,
        Action<Exception?>? onFailure = null)
    {
        var attemptTimeout = TimeSpan.FromMilliseconds(options.AttemptTimeoutMs);
        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception switch
                {
                    null => false,
                    TimeoutRejectedException => true,
                    // A cancellation that the caller's token did not ask for is a timeout inside the call itself
                    // (SocketsHttpHandler's ConnectTimeout throws TaskCanceledException): a failed attempt like any
                    // other. Without this it would escape the pipeline, unretried, with no backoff and no failure told.
                    OperationCanceledException => !args.Context.CancellationToken.IsCancellationRequested,
                    var ex => isTransient(ex),
                }),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.BaseDelayMs),
                MaxDelay = TimeSpan.FromMilliseconds(options.MaxDelayMs),
                DelayGenerator = _ => ValueTask.FromResult(delayOverride?.Invoke()),
                OnRetry = args =>
                {
                    // The first failure of a run is news; the retries after it, until a call succeeds, are not.
                    var level = args.AttemptNumber == 0 ? LogLevel.Warning : LogLevel.Debug;
                    LogRetry(logger, level, target, args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds,
                        args.Outcome.Exception?.Message ?? "no exception");
                    onFailure?.Invoke(args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = _ => ValueTask.FromResult(attemptTimeout + (extraAttemptTime?.Invoke() ?? TimeSpan.Zero)),
            })
            .Build();
    }

    [LoggerMessage(Message = "Call to {Target} failed (attempt {Attempt}): {Error}; retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, LogLevel level, string target, int attempt, long delayMs, string error);
}
