namespace ReplicatedLog.Bench.Redis;

/// <summary>One RESP2 reply: a simple string (<c>+OK</c>), an error (<c>-ERR …</c>), an integer (<c>:3</c>), a bulk string, or null (<c>$-1</c>).</summary>
public readonly record struct RespReply(RespReplyKind Kind, long Integer = 0, string? Text = null)
{
    public override string ToString() => Kind switch
    {
        RespReplyKind.Integer => $":{Integer}",
        RespReplyKind.SimpleString => $"+{Text}",
        RespReplyKind.Error => $"-{Text}",
        RespReplyKind.Null => "(nil)",
        _ => $"${Text?.Length} bytes",
    };
}

public enum RespReplyKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Null,
}
