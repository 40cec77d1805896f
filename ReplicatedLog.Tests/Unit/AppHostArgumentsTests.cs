using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Model;

namespace ReplicatedLog.Tests.Unit;

/// <summary>The AppHost's command line: what works keeps working, and every mistake is one line that names it.</summary>
public sealed class AppHostArgumentsTests
{
    [Fact]
    public void TheShortSwitchesAndConfigurationKeysInEitherFormSetTheSettings()
    {
        var builder = ClusterHostBuilder.Create([
            "--secondaries", "3", "--base-port=9000", "--delay", "secondary-3=70", "--delay=secondary-1=5",
            "--AppHost:GracePeriodMs=3000", "--AppHost:HealthTimeoutMs", "4000", "--Logging:LogLevel:Default=Warning"]);

        var settings = builder.Settings;
        Assert.Equal((3, 9000, 3000, 4000), (settings.Secondaries, settings.BasePort, settings.GracePeriodMs, settings.HealthTimeoutMs));
        Assert.Equal((5, 2000, 70), (settings.DelayOf("secondary-1"), settings.DelayOf("secondary-2"), settings.DelayOf("secondary-3")));
        Assert.Equal("Warning", builder.Configuration["Logging:LogLevel:Default"]);
    }

    [Fact]
    public void EachResourceKeepsItsLogInADirectoryOfItsOwnAndFreshIsAFlag()
    {
        var builder = ReplicatedLog.AppHost.Program.Topology(
            ClusterHostBuilder.Create(["--fresh", "--AppHost:DataDirectory=/tmp/rl-data", "--secondaries", "2"]));

        Assert.True(builder.Settings.Fresh);
        Assert.Equal(["/tmp/rl-data/master", "/tmp/rl-data/secondary-1", "/tmp/rl-data/secondary-2"],
            new[] { "master", "secondary-1", "secondary-2" }.Select(r => builder[r].EnvironmentFor(ExecutionMode.Run)["Storage__Path"]));
        Assert.False(ClusterHostBuilder.Create(["--base-port", "9100"]).Settings.Fresh);
        Assert.EndsWith("/ReplicatedLog/9100", ClusterHostBuilder.Create(["--base-port", "9100"]).Settings.DataRoot, StringComparison.Ordinal);
        Assert.Equal("--fresh takes no value; got '--fresh=yes'.", ErrorOf("--fresh=yes"));
    }

    [Fact]
    public void ADefaultDelayForASecondaryTheRunDoesNotHaveIsNoError() =>
        Assert.Equal(1, ClusterHostBuilder.Create(["--secondaries", "1"]).Settings.Secondaries); // appsettings.json delays secondary-2

    [Fact]
    public void ASecondaryCountThatIsNotANumberIsAnErrorNamingTheSwitchAndTheValue() =>
        Assert.Equal("--secondaries takes a whole number; got 'abc'.", ErrorOf("--secondaries", "abc"));

    [Fact]
    public void ADelayForASecondaryTheClusterDoesNotHaveIsAnErrorNamingIt() =>
        Assert.Equal("No secondary is named secondary-9 (--delay secondary-9=100): the 2 secondaries are secondary-1 to secondary-2.",
            ErrorOf("--delay", "secondary-9=100"));

    [Fact]
    public void ADelayGivenAsAConfigurationKeyMustNameASecondaryToo() =>
        Assert.StartsWith("No secondary is named master ", ErrorOf("--AppHost:Delays:master=100"));

    [Theory]
    [InlineData("--secondarys", "3")]
    [InlineData("--frobnicate")]
    [InlineData("secondaries", "3")]
    [InlineData("-s", "3")]
    public void AnUnknownArgumentIsAnErrorNamingItAndTheKnownSwitches(params string[] args)
    {
        var error = ErrorOf(args);
        Assert.StartsWith($"Unknown argument '{args[0]}'.", error);
        Assert.Contains("--secondaries N, --base-port P, --delay NAME=MS", error);
    }

    [Fact]
    public void AConfigurationValueOfTheWrongKindIsAnErrorNamingTheKeyAndTheValue()
    {
        var error = ErrorOf("--AppHost:GracePeriodMs=soon");
        Assert.Contains("'soon'", error);
        Assert.Contains("AppHost:GracePeriodMs", error);
    }

    [Theory]
    [InlineData("--delay", "secondary-2")]
    [InlineData("--delay", "secondary-2=slow")]
    public void ADelayThatIsNotNameEqualsMillisecondsIsAnErrorShowingTheForm(params string[] args) =>
        Assert.StartsWith("--delay takes NAME=MILLISECONDS", ErrorOf(args));

    [Fact]
    public void ASwitchWithoutItsValueIsAnErrorNamingIt() =>
        Assert.Equal("--base-port needs a value.", ErrorOf("--base-port"));

    /// <summary>The error <see cref="ClusterHostBuilder.Create"/> reports for <paramref name="args"/>: one line.</summary>
    private static string ErrorOf(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => ClusterHostBuilder.Create(args)).Message;
        Assert.DoesNotContain('\n', error);
        return error;
    }
}
