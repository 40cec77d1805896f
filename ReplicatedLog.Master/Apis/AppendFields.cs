namespace ReplicatedLog.Master.Apis;

/// <summary>A field of an append request.</summary>
internal enum AppendField
{
    Message,
    W,
    Id,
    TimeoutMs,
}

/// <summary>
/// The compatibility table of the append request: the canonical names (<c>message</c>, <c>w</c>, <c>id</c>,
/// <c>timeoutMs</c>) and the names the course's client scripts and test suites use for the same fields. Names match
/// without regard to case. The routes course clients post to are in <see cref="MessagesApi"/>.
/// </summary>
internal static class AppendFields
{
    /// <summary>Canonical name first, then its aliases.</summary>
    private static readonly (AppendField Field, string[] Names, string Meaning)[] Table =
    [
        (AppendField.Message, ["message", "msg", "content", "value"], "the message text (required)"),
        (AppendField.W, ["w", "write_concern"], "the write concern: a number of nodes, \"majority\" or \"all\""),
        (AppendField.Id, ["id"], "an idempotency key: a string, or a whole number (the same key as its digits)"),
        (AppendField.TimeoutMs, ["timeoutMs"], "how long to wait for the write concern, in ms"),
    ];

    /// <summary>How many fields there are; each field's value is its place, from 0.</summary>
    public static int Count { get; } = Enum.GetValues<AppendField>().Length;

    public static IReadOnlyDictionary<string, AppendField> ByName { get; } = Table
        .SelectMany(row => row.Names.Select(name => (name, row.Field)))
        .ToDictionary(p => p.name, p => p.Field, StringComparer.OrdinalIgnoreCase);

    /// <summary>The query parameters an append takes: <c>?w=2</c>, as some course clients send the write concern.</summary>
    public static IReadOnlySet<string> QueryParameters { get; } = new HashSet<string>(["w"], StringComparer.OrdinalIgnoreCase);

    public static string CanonicalName(AppendField field) => field switch
    {
        AppendField.Message => "message",
        AppendField.W => "write concern",
        AppendField.Id => "idempotency key",
        _ => Table.First(row => row.Field == field).Names[0],
    };

    /// <summary>The table in one sentence, for error messages and the API document.</summary>
    public static string Describe() =>
        "An append takes " + string.Join("; ", Table.Select(row =>
            $"'{row.Names[0]}' ({row.Meaning})" + (row.Names.Length > 1
                ? ", also named " + string.Join(" or ", row.Names.Skip(1).Select(n => $"'{n}'"))
                : ""))) + ". The write concern can also be given as ?w=2.";
}
