using System.ComponentModel.DataAnnotations;

namespace ReplicatedLog.Dashboard.Resources;

/// <summary>Section <c>Dashboard:Frontend</c>, the console part (Aspire's name): how many lines of output are kept.</summary>
public sealed class ConsoleLogOptions
{
    public const string SectionName = "Dashboard:Frontend";

    /// <summary>Lines kept per resource, in memory; past it the oldest go first.</summary>
    [Range(1, 1_000_000)]
    public int MaxConsoleLogCount { get; set; } = 10_000;
}
