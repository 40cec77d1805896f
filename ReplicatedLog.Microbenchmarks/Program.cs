using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// BenchmarkDotNet's own command line: --filter '*' runs them all, --list flat names them, --job short runs fewer
// iterations. Every benchmark goes in one build and one summary table; the build of the benchmarks' host program may
// take minutes on a busy 2-core machine, past BenchmarkDotNet's default of 2.
var config = ManualConfig.Create(DefaultConfig.Instance)
    .WithBuildTimeout(TimeSpan.FromMinutes(10))
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args, config);
