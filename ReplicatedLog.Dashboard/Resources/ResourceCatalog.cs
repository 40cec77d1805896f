using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Dashboard.Resources;

/// <summary>
/// What the dashboard knows of the AppHost's resources: each one's latest state, and its console, the last
/// <see cref="ConsoleLogOptions.MaxConsoleLogCount"/> lines of output (oldest out first), numbered as the AppHost
/// numbers them. Fed by <see cref="ResourceServiceClient"/>: a watch that starts again after a lost connection
/// replaces the resources with its snapshot and adds only the lines not held yet; a watch of another run of the
/// AppHost starts the consoles afresh. Readers get copies.
/// </summary>
public sealed class ResourceCatalog(int maxConsoleLines)
{
    private readonly Lock _lock = new();
    private readonly OrderedDictionary<string, ResourceView> _resources = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ConsoleBuffer> _consoles = new(StringComparer.OrdinalIgnoreCase);
    private string? _runId;
    private ResourceConnection _connection = new(ResourceConnectionState.NotConfigured, null, 0);

    public int MaxConsoleLines => maxConsoleLines;

    /// <summary>How the watch stands, and how many lines the AppHost could not send it.</summary>
    public ResourceConnection Connection
    {
        get
        {
            lock (_lock)
            {
                return _connection;
            }
        }
    }

    public IReadOnlyList<ResourceView> Resources
    {
        get
        {
            lock (_lock)
            {
                return [.. _resources.Values];
            }
        }
    }

    public ResourceView? Find(string name)
    {
        lock (_lock)
        {
            return _resources.GetValueOrDefault(name);
        }
    }

    /// <summary>The lines held of a resource's output, numbered after <paramref name="after"/>; null for a resource not known.</summary>
    public IReadOnlyList<ConsoleLine>? Console(string name, long after = 0)
    {
        lock (_lock)
        {
            if (!_resources.ContainsKey(name))
            {
                return null;
            }

            return _consoles.TryGetValue(name, out var console) ? [.. console.Lines.Where(l => l.Number > after)] : [];
        }
    }

    public void SetConnection(ResourceConnectionState state, string? detail)
    {
        lock (_lock)
        {
            _connection = _connection with { State = state, Detail = detail };
        }
    }

    /// <summary>Takes in one message of the watch.</summary>
    public void Apply(ResourceServiceMessage message)
    {
        lock (_lock)
        {
            switch (message)
            {
                case ResourcesSnapshot snapshot:
                    if (snapshot.RunId != _runId)
                    {
                        _consoles.Clear();
                        _runId = snapshot.RunId;
                    }

                    _resources.Clear();
                    foreach (var resource in snapshot.Resources)
                    {
                        _resources[resource.Name] = resource;
                    }

                    _connection = _connection with { State = ResourceConnectionState.Connected, Detail = null };
                    break;
                case ResourceChanged changed:
                    _resources[changed.Resource.Name] = changed.Resource;
                    break;
                case ResourceLogLine line:
                    Add(line);
                    break;
                case ResourceLogLinesLost lost:
                    _connection = _connection with { LinesLost = _connection.LinesLost + lost.Count };
                    break;
            }
        }
    }

    private void Add(ResourceLogLine line)
    {
        if (!_consoles.TryGetValue(line.Resource, out var console))
        {
            _consoles[line.Resource] = console = new ConsoleBuffer();
        }

        if (line.Number <= console.LastNumber)
        {
            return; // held already: a watch that starts again sends the recent lines again
        }

        console.LastNumber = line.Number;
        console.Lines.Enqueue(new ConsoleLine(line.Number, line.Text));
        if (console.Lines.Count > maxConsoleLines)
        {
            console.Lines.Dequeue();
        }
    }

    private sealed class ConsoleBuffer
    {
        public Queue<ConsoleLine> Lines { get; } = new();

        public long LastNumber { get; set; }
    }
}
