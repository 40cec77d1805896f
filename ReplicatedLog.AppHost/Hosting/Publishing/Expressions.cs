using System.Text;
using System.Text.RegularExpressions;

namespace ReplicatedLog.AppHost.Hosting.Publishing;

/// <summary>
/// The placeholders a resource's environment holds when rendered for a deployment (<c>{secondary-1.bindings.http.url}</c>,
/// <c>{cluster-token.value}</c>), as Aspire's manifest writes them: found, and replaced by what a deployment format says
/// instead.
/// </summary>
public static partial class Expressions
{
    /// <summary>The expressions in <paramref name="value"/>, without their braces: <c>cluster-token.value</c>.</summary>
    public static IEnumerable<string> In(string value) => Placeholder().Matches(value).Select(m => m.Groups[1].Value);

    /// <summary>
    /// <paramref name="value"/> with each expression replaced by <paramref name="resolve"/>'s answer, and the text around
    /// them by <paramref name="literal"/>'s (a format that gives <c>$</c> a meaning escapes it there).
    /// </summary>
    public static string Replace(string value, Func<string, string> resolve, Func<string, string> literal)
    {
        var text = new StringBuilder();
        var at = 0;
        foreach (Match match in Placeholder().Matches(value))
        {
            text.Append(literal(value[at..match.Index])).Append(resolve(match.Groups[1].Value));
            at = match.Index + match.Length;
        }

        return text.Append(literal(value[at..])).ToString();
    }

    /// <summary>The parameters whose value <paramref name="values"/> take (<c>{name.value}</c>), in <paramref name="parameters"/>' order.</summary>
    public static IEnumerable<Model.Parameter> ParametersIn(IEnumerable<string> values, IEnumerable<Model.Parameter> parameters)
    {
        var used = values.SelectMany(In).ToHashSet(StringComparer.Ordinal);
        return parameters.Where(p => used.Contains($"{p.Name}.value"));
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_.-]+)\}")]
    private static partial Regex Placeholder();
}
