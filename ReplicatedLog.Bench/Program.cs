using ReplicatedLog.Bench;

// Ctrl+C stops the run; a cluster the benchmark started is stopped either way.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    return await BenchApp.RunAsync(args, Console.Out, Console.Error, live: !Console.IsOutputRedirected, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("bench | stopped (Ctrl+C): no result.");
    return 130;
}
