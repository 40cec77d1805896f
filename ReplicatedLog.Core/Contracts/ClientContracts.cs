namespace ReplicatedLog.Core.Contracts;

/// <summary>
/// The answer to <c>POST /messages</c> on the master.
/// </summary>
/// <param name="Index">The index the message holds in the log.</param>
/// <param name="W">The write concern the request asked for, as a number of nodes (master included).</param>
/// <param name="Acks">How many nodes (master included) held the entry when the answer was made.</param>
/// <param name="Duplicate">True when the idempotency key was seen before and nothing new was appended.</param>
/// <param name="TimedOut">True when <c>timeoutMs</c> ran out before <see cref="W"/> nodes held the entry.</param>
public sealed record AppendMessageResponse(long Index, int W, int Acks, bool Duplicate, bool TimedOut);

/// <summary>
/// The body of <c>POST /messages</c> on the master, in its canonical shape (the master also reads the course's
/// aliases, listed in the API document).
/// </summary>
/// <param name="Message">The text to append.</param>
/// <param name="W">The write concern: a whole number of nodes (master included), <c>"majority"</c> or <c>"all"</c>.</param>
/// <param name="Id">An optional idempotency key: a repeat appends nothing and answers the original index.</param>
/// <param name="TimeoutMs">How long to wait for the write concern; by default as long as it takes.</param>
public sealed record AppendMessageRequest(
    string Message, System.Text.Json.JsonElement? W = null, string? Id = null, int? TimeoutMs = null);
