using System.Diagnostics;

namespace ReplicatedLog.Master.Replication;

/// <summary>
/// Which trace each recent append belongs to, by index, so that the batch that carries an entry to a secondary can
/// link to the appends it carries: one batch serves many appends, so it lives in a trace of its own and points to
/// theirs. Bounded: the most recent <see cref="Capacity"/> indexes.
/// </summary>
public sealed class AppendTraces
{
    public const int Capacity = 65_536;

    /// <summary>At most this many links on one batch's span.</summary>
    public const int MaxLinks = 128;

    private readonly (long Index, ActivityContext Context)[] _recent = new (long, ActivityContext)[Capacity];

    public void Record(long index, ActivityContext context)
    {
        if (context != default)
        {
            _recent[index % Capacity] = (index, context);
        }
    }

    /// <summary>The traces of the appends of entries <paramref name="first"/>..<paramref name="last"/> that are known.</summary>
    public IReadOnlyList<ActivityLink> Links(long first, long last)
    {
        var links = new List<ActivityLink>();
        for (var index = first; index <= last && links.Count < MaxLinks; index++)
        {
            var (known, context) = _recent[index % Capacity];
            if (known == index)
            {
                links.Add(new ActivityLink(context));
            }
        }

        return links;
    }
}
