namespace ReplicatedLog.ServiceDefaults.Contracts;

/// <summary>
/// The answer to <c>POST /messages</c> on the master.
/// </summary>
/// <param name="Index">The index the message holds in the log.</param>
/// <param name="W">The write concern the request asked for, as a number of nodes (master included).</param>
/// <param name="Acks">How many nodes (master included) held the entry when the answer was made.</param>
/// <param name="Duplicate">True when the idempotency key was seen before and nothing new was appended.</param>
/// <param name="TimedOut">True when <c>timeoutMs</c> ran out before <see cref="W"/> nodes held the entry.</param>
public sealed record AppendMessageResponse(long Index, int W, int Acks, bool Duplicate, bool TimedOut);
