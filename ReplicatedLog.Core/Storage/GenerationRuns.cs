namespace ReplicatedLog.Core.Storage;

/// <summary>
/// The generation of each of entries 1 to <see cref="Count"/>, kept as runs of equal generations: a master run
/// writes one generation, so a log holds one run per run of the master and costs nothing per entry. Not thread-safe:
/// the store uses it under its lock.
/// </summary>
internal sealed class GenerationRuns
{
    private readonly List<(long First, long Generation)> _runs = [];

    public long Count { get; private set; }

    /// <summary>Adds entry <see cref="Count"/>+1, made by <paramref name="generation"/>.</summary>
    public void Add(long generation)
    {
        Count++;
        if (_runs.Count == 0 || _runs[^1].Generation != generation)
        {
            _runs.Add((Count, generation));
        }
    }

    /// <summary>The generation of the entry at <paramref name="index"/> (1 to <see cref="Count"/>).</summary>
    public long At(long index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Count);
        int low = 0, high = _runs.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (_runs[middle].First <= index)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return _runs[low].Generation;
    }

    /// <summary>Keeps entries 1 to <paramref name="count"/> only.</summary>
    public void TruncateTo(long count)
    {
        while (_runs.Count > 0 && _runs[^1].First > count)
        {
            _runs.RemoveAt(_runs.Count - 1);
        }

        Count = Math.Min(Count, Math.Max(0, count));
    }
}
