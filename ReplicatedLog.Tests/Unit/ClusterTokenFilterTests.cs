using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplicatedLog.ServiceDefaults.Security;
using ReplicatedLog.Tests.Support;

namespace ReplicatedLog.Tests.Unit;

/// <summary>
/// Who gets through to a cluster route: with a token, whoever sends it; without one (protected mode), loopback
/// callers only. No sockets: the caller's address is set on the context.
/// </summary>
public sealed class ClusterTokenFilterTests
{
    private const string Token = "s3cret-token";
    private const string Passed = "passed to the route";

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task WithoutATokenALoopbackCallerGetsThrough(string caller)
    {
        Assert.Equal(Passed, await InvokeAsync(token: null, caller));
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.1.20")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("fe80::1")]
    [InlineData(null)]
    public async Task WithoutATokenAnyOtherCallerIsRefusedWith403SayingToSetTheToken(string? caller)
    {
        var refused = Assert.IsType<ProblemHttpResult>(await InvokeAsync(token: null, caller));

        Assert.Equal(StatusCodes.Status403Forbidden, refused.StatusCode);
        Assert.Contains("set the same Cluster__Token on every node", refused.ProblemDetails.Detail);
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("127.0.0.1")]
    public async Task WithATokenTheTokenDecidesWhereverTheCallerIs(string caller)
    {
        Assert.Equal(Passed, await InvokeAsync(Token, caller, $"Bearer {Token}"));
        foreach (var header in new string?[] { null, "Bearer wrong" })
        {
            var refused = Assert.IsType<ProblemHttpResult>(await InvokeAsync(Token, caller, header));
            Assert.Equal(StatusCodes.Status401Unauthorized, refused.StatusCode);
        }
    }

    [Theory]
    [InlineData(null, LogLevel.Warning, "protected mode: no Cluster__Token, cluster routes answer loopback callers only")]
    [InlineData(Token, LogLevel.Information, "cluster routes need the cluster token")]
    public async Task TheNodeSaysAtStartWhichModeItIsIn(string? token, LogLevel level, string message)
    {
        var logs = new LogCapture();
        using var factory = new LoggerFactory([logs]);
        await new ClusterModeReport(Options.Create(new ClusterOptions { Token = token }), factory.CreateLogger<ClusterModeReport>())
            .StartAsync(CancellationToken.None);

        var entry = Assert.Single(logs.Entries);
        Assert.Equal(level, entry.Level);
        Assert.StartsWith(message, entry.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<object?> InvokeAsync(string? token, string? caller, string? authorization = null)
    {
        var filter = new ClusterTokenFilter(Options.Create(new ClusterOptions { Token = token }));
        var http = new DefaultHttpContext { Connection = { RemoteIpAddress = caller is null ? null : IPAddress.Parse(caller) } };
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }

        return await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(http), _ => ValueTask.FromResult<object?>(Passed));
    }
}
