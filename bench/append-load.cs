#!/usr/bin/env dotnet
#:property PublishAot=false
// Load generator for ReplicatedLog: N concurrent clients append to the master with write concern w for a fixed
// number of appends, then prints throughput and latency percentiles.
// Usage: dotnet run bench/append-load.cs -- <masterUrl> <clients> <appends> <w> [messageBytes]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

var master = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:8000");
var clients = args.Length > 1 ? int.Parse(args[1]) : 64;
var total = args.Length > 2 ? int.Parse(args[2]) : 50_000;
var w = args.Length > 3 ? args[3] : "3";
var size = args.Length > 4 ? int.Parse(args[4]) : 64;

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = master };
var payload = new string('x', size);
var wJson = int.TryParse(w, out _) ? w : $"\"{w}\"";
var latencies = new double[total];
var next = -1;
var failures = 0;

// Warm-up: connections, JIT, first batches.
await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => SendAsync(-1)));

var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < total)
    {
        await SendAsync(i);
    }
}));
clock.Stop();

Array.Sort(latencies);
double P(double q) => latencies[Math.Min(total - 1, (int)Math.Ceiling(q * total) - 1)];
Console.WriteLine($"clients={clients} appends={total} w={w} message={size}B failures={failures}");
Console.WriteLine($"throughput: {total / clock.Elapsed.TotalSeconds:0} appends/s over {clock.Elapsed.TotalSeconds:0.00} s");
Console.WriteLine($"latency ms: p50={P(0.50):0.00} p90={P(0.90):0.00} p99={P(0.99):0.00} max={latencies[^1]:0.00}");
return failures == 0 ? 0 : 1;

async Task SendAsync(int i)
{
    var body = $"{{\"message\":\"{(i < 0 ? "warmup" : "m" + i)}-{payload}\",\"w\":{wJson}}}";
    using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
    var start = Stopwatch.GetTimestamp();
    using var response = await http.PostAsync("messages", content);
    if (i >= 0)
    {
        latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref failures);
        }
    }
}
