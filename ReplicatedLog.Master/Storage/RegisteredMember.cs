namespace ReplicatedLog.Master.Storage;

/// <summary>A secondary that registered itself: the name it gave and the URL the master calls it at.</summary>
public sealed record RegisteredMember(string Name, string Url);
