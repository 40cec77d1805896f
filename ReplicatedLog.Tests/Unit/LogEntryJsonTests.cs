using System.Text.Json;
using ReplicatedLog.Core.Contracts;
using ReplicatedLog.Core.Log;

namespace ReplicatedLog.Tests.Unit;

/// <summary>
/// An entry's JSON, on the replication wire and in <c>/log</c>: what the master writes is what a secondary reads, in
/// the shape the API documents, and what a hand-written or older sender may send is read as the serializer read it.
/// </summary>
public sealed class LogEntryJsonTests
{
    [Fact]
    public void AnEntryIsWrittenWithItsThreeFieldsAndTheSerializersEscapingAndReadBackAsItWas()
    {
        var entry = new LogEntry(7, "café <b>\"x\"</b>\n\U0001F600", 2);
        var json = JsonSerializer.Serialize(entry, WireJsonContext.Default.LogEntry);
        Assert.Equal("{\"index\":7,\"message\":\"caf\\u00E9 \\u003Cb\\u003E\\u0022x\\u0022\\u003C/b\\u003E\\n\\uD83D\\uDE00\",\"generation\":2}", json);
        Assert.Equal(entry, JsonSerializer.Deserialize(json, WireJsonContext.Default.LogEntry));
    }

    [Fact]
    public void ABatchOfEntriesRoundTripsThroughTheReplicationRequest()
    {
        var request = new AppendEntriesRequest("log-1", [.. Enumerable.Range(1, 100).Select(i => new LogEntry(i, $"m{i}", 3))], 3, 0, "00");
        var json = JsonSerializer.Serialize(request, WireJsonContext.Default.AppendEntriesRequest);
        var read = JsonSerializer.Deserialize(json, WireJsonContext.Default.AppendEntriesRequest)!;
        Assert.Equal(request.Entries, read.Entries);
        Assert.Equal((request.LogId, request.Generation, request.PrevChecksum), (read.LogId, read.Generation, read.PrevChecksum));
    }

    [Theory]
    [InlineData("{\"Index\":5,\"MESSAGE\":\"hi\",\"Generation\":1}", 5, "hi", 1)]
    [InlineData("{\"index\":\"5\",\"message\":\"hi\",\"generation\":\"1\"}", 5, "hi", 1)]
    [InlineData("{\"message\":\"hi\",\"extra\":{\"a\":[1,2]},\"index\":5}", 5, "hi", 0)]
    [InlineData("{\"index\":5}", 5, null, 0)]
    [InlineData("{\"ind\\u0065x\":5,\"message\":\"hi\"}", 5, "hi", 0)]
    public void WhatTheSerializerReadIsReadTheSame(string json, long index, string? message, long generation)
    {
        var entry = JsonSerializer.Deserialize(json, WireJsonContext.Default.LogEntry)!;
        Assert.Equal((index, message, generation), (entry.Index, entry.Message, entry.Generation));
    }

    [Theory]
    [InlineData("{\"index\":\"five\",\"message\":\"hi\"}")]
    [InlineData("{\"index\":5,\"message\":42}")]
    [InlineData("[5,\"hi\"]")]
    [InlineData("{\"index\":1.5,\"message\":\"hi\"}")]
    public void AnEntryOfTheWrongShapeIsAJsonError(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, WireJsonContext.Default.LogEntry));
}
