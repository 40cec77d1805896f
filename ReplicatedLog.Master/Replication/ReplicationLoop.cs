using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;
using ReplicatedLog.ServiceDefaults.Resilience;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// The one long-lived replication process of one secondary. It ships entries from the secondary's next index in
/// index order, a batch at a time, and moves on by the cumulative acknowledgement it gets back. Catching up after a
/// restart, a pause or a partition is this same loop starting again from a lower index. Failed sends are retried
/// forever by the resilience pipeline; only the stopping token ends the loop.
/// </summary>
public sealed partial class ReplicationLoop(
    SecondaryPeer peer,
    MasterLog log,
    ResiliencePipeline pipeline,
    ReplicationOptions options,
    ILogger<ReplicationLoop> logger,
    AppendTraces? traces = null,
    MasterMetrics? metrics = null)
{
    private static readonly ActivitySource Source = new(Appender.TelemetryName);
    private readonly KeyValuePair<string, object?> _secondaryTag = MasterMetrics.Secondary(peer.Name);
    private bool _prepared;

    /// <summary>
    /// The retry pipeline of one secondary: the project's unbounded retry with backoff, except that an Unhealthy
    /// secondary is retried at the heartbeat's pace (its recovery kicks the loop at once), and each attempt may take
    /// the secondary's reported artificial delay on top of the attempt timeout.
    /// </summary>
    public static ResiliencePipeline CreatePipeline(
        SecondaryPeer peer, RetryOptions retry, TimeSpan heartbeatInterval, TimeProvider time, ILogger logger, MasterMetrics? metrics = null)
    {
        var secondaryTag = MasterMetrics.Secondary(peer.Name);
        return RetryPipeline.CreateUnbounded(
            $"{peer.Name} ({peer.Client.Address})",
            retry,
            ex => ex is SecondaryUnavailableException,
            time,
            logger,
            delayOverride: () => peer.Status == SecondaryStatus.Unhealthy ? heartbeatInterval : null,
            extraAttemptTime: () => peer.ReportedDelay,
            onFailure: ex =>
            {
                peer.OnSendFailed(ex?.Message ?? "the call failed");
                metrics?.RetryingBatch(secondaryTag);
            });
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        LogStarted(logger, peer.Name, peer.Client.Address);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ReplicateOnceAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Not a transport failure (those the pipeline retries): a bug or a bad answer. Stay alive, and
                // give the secondary the longest backoff before trying again.
                LogLoopFailed(logger, peer.Name, ex);
                await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(options.Retry.MaxDelayMs), stopping)).ConfigureAwait(false);
            }
        }

        LogStopped(logger, peer.Name);
    }

    /// <summary>Sends one batch (waiting for entries or a kick when there is nothing to send).</summary>
    internal async Task ReplicateOnceAsync(CancellationToken stopping)
    {
        peer.TakeKick();
        if (peer.IsRefusing || !peer.HasAnswered)
        {
            // Refusing: sending again changes nothing. Not heard from yet: its first heartbeat answer says what it
            // holds (and kicks the loop), so a restarted master does not resend what a secondary kept.
            await peer.WhenKicked.WaitAsync(stopping).ConfigureAwait(false);
            return;
        }

        // When work waits in the thread pool (under load: appends being read), go to the back of its queue before
        // taking the batch: those appends get in first, so a batch carries more of them and each secondary takes
        // fewer requests. With nothing waiting (one client), the batch goes at once.
        if (ThreadPool.PendingWorkItemCount > 0)
        {
            await Task.Yield();
        }
        var from = peer.NextIndex;
        var batch = log.ReadBatch(from, options.BatchMaxEntries, options.BatchMaxBytes);
        if (batch.Count == 0)
        {
            if (!_prepared)
            {
                // Once, while there is nothing to send: open what the first batch needs (the stream), bounded as an attempt.
                _prepared = true;
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                bounded.CancelAfter(TimeSpan.FromMilliseconds(options.Retry.AttemptTimeoutMs));
                try
                {
                    await peer.Client.PrepareAsync(bounded.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    // Not ready in time: the first batch opens it.
                }
            }

            await Task.WhenAny(log.WhenAppendedAfter(from - 1), peer.WhenKicked).WaitAsync(stopping).ConfigureAwait(false);
            return;
        }

        metrics?.SendingBatch(_secondaryTag, batch);

        // A batch of its own: a trace that links to the appends it carries (the HTTP call and the secondary's work
        // are its children).
        Activity.Current = null;
        var last = from + batch.Count - 1;
        using var span = Source.StartActivity($"replicate to {peer.Name}", ActivityKind.Internal, default(ActivityContext),
            links: traces?.Links(from, last));
        span?.SetTag("replicatedlog.secondary", peer.Name);
        span?.SetTag("replicatedlog.first", from);
        span?.SetTag("replicatedlog.last", last);
        span?.SetTag("replicatedlog.entries", batch.Count);
        var request = new AppendEntriesRequest(log.LogId, batch, log.Generation, log.Base, LogChecksum.Format(log.ChecksumAt(from - 1)!.Value));
        var attempt = peer.BeginAttempt(stopping);
        var started = Stopwatch.GetTimestamp();
        AppendEntriesResponse response;
        try
        {
            response = await pipeline.ExecuteAsync(
                static (state, ct) =>
                {
                    state.peer.OnSending();
                    return new ValueTask<AppendEntriesResponse>(state.peer.Client.AppendAsync(state.request, ct));
                },
                (peer, request),
                attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            LogInterrupted(logger, peer.Name, from, last);
            return;
        }
        catch (LogRefusedException ex)
        {
            if (peer.OnRefused(ex.Message))
            {
                LogRefused(logger, peer.Name, ex.Message);
            }

            return;
        }
        finally
        {
            peer.EndAttempt(attempt);
        }

        var acked = peer.AckedIndex;
        peer.OnAppendAnswered(response, last);
        span?.SetTag("replicatedlog.applied", response.AppliedIndex);
        // A line per batch that carries a traced append, linked to its trace; the others at Debug: under load a line
        // per batch costs what the trace limit saves, and a user's few appends a second are all traced.
        LogBatchSent(logger, span is { Recorded: true } ? LogLevel.Information : LogLevel.Debug, peer.Name, from, last, batch.Count, response.AppliedIndex,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (response.AppliedIndex < from - 1 || response.AppliedIndex < acked)
        {
            LogRewound(logger, peer.Name, response.AppliedIndex, acked);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replication to {Secondary} at {Address} started")]
    private static partial void LogStarted(ILogger logger, string secondary, Uri address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replication to {Secondary} stopped")]
    private static partial void LogStopped(ILogger logger, string secondary);

    [LoggerMessage(Message = "Sent entries {First}..{Last} ({Count}) to {Secondary}: applied up to {Applied} in {ElapsedMs} ms")]
    private static partial void LogBatchSent(
        ILogger logger, LogLevel level, string secondary, long first, long last, int count, long applied, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Secondary} holds only up to {Applied} (had acknowledged {Acked}): replication rewinds to what it holds")]
    private static partial void LogRewound(ILogger logger, string secondary, long applied, long acked);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Sending entries {First}..{Last} to {Secondary} was interrupted to start over (recovered or restarted)")]
    private static partial void LogInterrupted(ILogger logger, string secondary, long first, long last);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Secondary} refuses this log ({Reason}); replication to it waits until it answers as a member of this log")]
    private static partial void LogRefused(ILogger logger, string secondary, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Replication to {Secondary} failed unexpectedly; it goes on")]
    private static partial void LogLoopFailed(ILogger logger, string secondary, Exception exception);
}
