namespace ReplicatedLog.Core.Storage.OnDisk;

/// <summary>
/// Opens the segments of a directory and replays them in order into a <see cref="LogState"/>, up to the last whole,
/// valid record. At the first record that is torn, corrupt or cannot follow the log, the file is cut there and the
/// segments after it are deleted: a log has no gaps, so nothing after damage can be kept. Zeros after the last record
/// of the last segment are space filled ahead (see <see cref="Segment"/>), not damage: they are cut without a word.
/// The bytes cut counted in the last segment stop at its last byte that is not zero (a torn record's own zeros at
/// its very end cannot be told from that space).
/// </summary>
internal static class SegmentRecovery
{
    /// <param name="zeroAheadTo">What the segments are opened with (see <see cref="Segment.Open"/>).</param>
    public static (List<Segment> Segments, RecoveryReport Report) Recover(string directory, LogState state, long zeroAheadTo = 0)
    {
        var segments = state.Segments;
        long records = 0, bytesCut = 0;
        var dropped = 0;
        string? damage = null;
        var numbers = Segment.Numbers(directory);
        foreach (var number in numbers)
        {
            if (damage is not null)
            {
                var path = Segment.PathOf(directory, number);
                using (var file = File.OpenHandle(path))
                {
                    bytesCut += number == numbers[^1] ? Segment.DataEnd(file, 0) : RandomAccess.GetLength(file);
                }

                File.Delete(path);
                dropped++;
                continue;
            }

            var segment = Segment.Open(directory, segments.Count, number, zeroAheadTo);
            segments.Add(segment);
            var (valid, replayed, problem) = Replay(segment, state);
            records += replayed;
            if (problem is not null)
            {
                var dataEnd = number == numbers[^1] ? Segment.DataEnd(segment.Handle, valid) : segment.Length;
                if (dataEnd > valid)
                {
                    damage = $"{problem} in {Path.GetFileName(segment.Path)} at offset {valid}";
                    bytesCut += dataEnd - valid;
                }

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
