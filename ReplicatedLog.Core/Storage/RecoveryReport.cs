namespace ReplicatedLog.Core.Storage;

/// <summary>What a <see cref="FileLogStore"/> found and did when it opened its directory, for the service to log.</summary>
/// <param name="Segments">The segment files kept.</param>
/// <param name="RecordsReplayed">The whole, valid records replayed (entries, keys, log id, generations, truncations).</param>
/// <param name="LastIndex">The last index of the recovered log.</param>
/// <param name="BytesCut">Bytes cut away after the last valid record: the damaged file's tail and any segment after it.</param>
/// <param name="SegmentsDropped">Segment files deleted because they came after the damage.</param>
/// <param name="Damage">What stopped the replay and where, or null when every record was whole and valid.</param>
public sealed record RecoveryReport(
    int Segments, long RecordsReplayed, long LastIndex, long BytesCut, int SegmentsDropped, string? Damage);
