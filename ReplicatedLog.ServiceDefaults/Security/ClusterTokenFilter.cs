using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ReplicatedLog.ServiceDefaults.Security;

/// <summary>Refuses, with 401, a call to a cluster-internal route that lacks the configured cluster token.</summary>
public sealed class ClusterTokenFilter(IOptions<ClusterOptions> options) : IEndpointFilter
{
    private readonly byte[]? _expected = string.IsNullOrEmpty(options.Value.Token)
        ? null
        : Encoding.UTF8.GetBytes(options.Value.Token);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_expected is null || IsAuthorized(context.HttpContext.Request.Headers.Authorization.ToString()))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(TypedResults.Problem(
            "This route is for the nodes of the cluster: send 'Authorization: Bearer <Cluster:Token>'.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Cluster token required"));
    }

    private bool IsAuthorized(string header)
    {
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(header[prefix.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, _expected);
    }
}

public static class ClusterTokenFilterExtensions
{
    /// <summary>Marks a route or group as cluster-internal: it then needs the cluster token when one is set.</summary>
    public static TBuilder RequireClusterToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, ClusterTokenFilter>();
}
