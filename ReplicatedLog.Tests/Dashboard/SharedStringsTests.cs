using ReplicatedLog.Dashboard.Otlp;

namespace ReplicatedLog.Tests.Dashboard;

public sealed class SharedStringsTests
{
    [Fact]
    public void RepeatedTextIsOneInstanceAndTextPastTheCapacityIsKeptAsItCame()
    {
        var strings = new SharedStrings(capacity: 2);
        var first = strings.Get(new string("http.route"));
        Assert.Same(first, strings.Get(new string("http.route")));

        strings.Get("w");
        var late = new string("replicatedlog.index");
        Assert.Same(late, strings.Get(late));
        Assert.Equal("replicatedlog.index", strings.Get(new string("replicatedlog.index")));
    }

    [Fact]
    public void LongTextIsNotShared()
    {
        var strings = new SharedStrings(capacity: 10);
        var message = new string('x', SharedStrings.MaxLength + 1);
        strings.Get(message);
        Assert.NotSame(message, strings.Get(new string(message)));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(200L)]
    [InlineData(1023L)]
    [InlineData(1024L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public void NumbersReadAsTheyWouldBeWritten(long value) =>
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), SharedStrings.Number(value));
}
