using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReplicatedLog.Secondary.Faults;
using ReplicatedLog.Secondary.Replication;
using ReplicatedLog.ServiceDefaults.Apis;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Secondary.Apis;

/// <summary>
/// Reads the bodies of <c>PUT /admin/faults</c> and <c>PUT /admin/delay</c> as JSON whatever the content type, and
/// says exactly what is wrong with anything else (400): a field of the wrong type, out of range, or not known.
/// </summary>
internal static class AdminRequestReader
{
    private const long MaxBodyBytes = 16 * 1024;
    private const string FaultsExample = "{\"delayMs\": 500, \"errorAfterApplyRate\": 0.3, \"dropRate\": 0.2, \"paused\": false}";
    private const string DelayExample = "{\"delayMs\": 500}";

    public static async Task<(FaultSettings? Settings, ProblemHttpResult? Problem)> ReadFaultsAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        int? delayMs = null;
        double? errorRate = null, dropRate = null;
        bool? paused = null;
        var problem = await ReadFieldsAsync(request, FaultsExample, (name, value) => name.ToLowerInvariant() switch
        {
            "delayms" => ReadDelay(value, out delayMs),
            "errorafterapplyrate" => ReadRate("errorAfterApplyRate", value, out errorRate),
            "droprate" => ReadRate("dropRate", value, out dropRate),
            "paused" => ReadFlag("paused", value, out paused),
            _ => $"'{name}' is not a field of PUT /admin/faults: it takes delayMs, errorAfterApplyRate, dropRate and paused.",
        }, cancellationToken);
        return problem is null ? (new FaultSettings(delayMs, errorRate, dropRate, paused), null) : (null, problem);
    }

    public static async Task<(int? DelayMs, ProblemHttpResult? Problem)> ReadDelayAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        int? delayMs = null;
        var problem = await ReadFieldsAsync(request, DelayExample, (name, value) =>
            name.Equals("delayMs", StringComparison.OrdinalIgnoreCase)
                ? ReadDelay(value, out delayMs)
                : $"'{name}' is not a field of PUT /admin/delay: it takes delayMs only.", cancellationToken);
        return (problem, delayMs) switch
        {
            (not null, _) => (null, problem),
            (_, null) => (null, Problems.BadRequest($"'delayMs' is required: send {DelayExample}.")),
            _ => (delayMs, null),
        };
    }

    /// <summary>Reads the body as a JSON object and hands each field to <paramref name="readField"/>, which says what is wrong or null.</summary>
    private static async Task<ProblemHttpResult?> ReadFieldsAsync(
        HttpRequest request, string example, Func<string, JsonElement, string?> readField, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonObjectBody.ReadAsync(request, example, MaxBodyBytes, cancellationToken);
        if (document is null)
        {
            return problem;
        }

        using (document)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (readField(property.Name, property.Value) is { } error)
                {
                    return Problems.BadRequest(error);
                }
            }
        }

        return null;
    }

    /// <summary>Null leaves the setting as it is; otherwise a whole number of milliseconds in range.</summary>
    private static string? ReadDelay(JsonElement value, out int? delayMs)
    {
        delayMs = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var ms) || ms is < 0 or > ReplicationDelay.MaxDelayMs)
        {
            return $"'delayMs' must be a whole number of milliseconds from 0 to {ReplicationDelay.MaxDelayMs}; got {JsonObjectBody.Describe(value)}.";
        }

        delayMs = ms;
        return null;
    }

    private static string? ReadRate(string name, JsonElement value, out double? rate)
    {
        rate = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || value.GetDouble() is < 0 or > 1)
        {
            return $"'{name}' must be a number from 0 to 1 (a share of requests); got {JsonObjectBody.Describe(value)}.";
        }

        rate = value.GetDouble();
        return null;
    }

    private static string? ReadFlag(string name, JsonElement value, out bool? flag)
    {
        flag = value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
        return flag is null && value.ValueKind != JsonValueKind.Null
            ? $"'{name}' must be true or false; got {JsonObjectBody.Describe(value)}."
            : null;
    }
}
