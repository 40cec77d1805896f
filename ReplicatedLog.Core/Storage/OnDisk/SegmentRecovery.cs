namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// Opens the segments of a directory and replays them in order into a <see cref="LogState"/>, up to the last whole,
/// valid record. At the first record that is torn, corrupt or cannot follow the log, the file is cut there and the
/// segments after it are deleted: a log has no gaps, so nothing after damage can be kept.
/// </summary>
internal static class SegmentRecovery
{
    public static (List<Segment> Segments, RecoveryReport Report) Recover(string directory, LogState state)
    {
        var segments = state.Segments;
        long records = 0, bytesCut = 0;
        var dropped = 0;
        string? damage = null;
        foreach (var number in Segment.Numbers(directory))
        {
            if (damage is not null)
            {
                var path = Segment.PathOf(directory, number);
                bytesCut += new FileInfo(path).Length;
                File.Delete(path);
                dropped++;
                continue;
            }

            var segment = Segment.Open(directory, segments.Count, number);
            segments.Add(segment);
            var (valid, replayed, problem) = Replay(segment, state);
            records += replayed;
            if (problem is not null)
            {
                damage = $"{problem} in {Path.GetFileName(segment.Path)} at offset {valid}";
                bytesCut += segment.Length - valid;
                segment.Cut(valid);
            }
        }

        // A key recorded just before its entry, whose entry never reached the disk.
        state.Keys.ForgetFrom(state.LastIndex + 1);
        return (segments, new RecoveryReport(segments.Count, records, state.LastIndex, bytesCut, dropped, damage));
    }

    private static (long Valid, long Records, string? Problem) Replay(Segment segment, LogState state)
    {
        using var reader = new FrameReader(segment.Handle);
        long offset = 0, records = 0;
        while (offset < segment.Length)
        {
            var status = reader.TryRead(offset, out var record, out var frameBytes);
            if (status != FrameStatus.Whole)
            {
                return (offset, records, status == FrameStatus.Short ? "a torn record" : "a corrupt record");
            }

            if (!state.Replay(record, PositionIndex.Of(segment.Ordinal, offset)))
            {
                return (offset, records, $"a {record.Type} record that does not follow the log");
            }

            offset += frameBytes;
            records++;
        }

        return (offset, records, null);
    }
}
