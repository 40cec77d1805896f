using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ReplicatedLog.ServiceDefaults.Security;

/// <summary>
/// Guards the cluster-internal routes. With a cluster token, a call without it is refused with 401. Without one the
/// node is in protected mode (like Redis's): only callers on the loopback interface get through, others get 403.
/// </summary>
public sealed class ClusterTokenFilter(IOptions<ClusterOptions> options) : IEndpointFilter
{
    private readonly byte[]? _expected = string.IsNullOrEmpty(options.Value.Token)
        ? null
        : Encoding.UTF8.GetBytes(options.Value.Token);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (_expected is null)
        {
            return IsLoopback(http.Connection.RemoteIpAddress) ? next(context) : ValueTask.FromResult<object?>(TypedResults.Problem(
                "Protected mode: this node has no cluster token, so its cluster routes answer callers on this machine only. " +
                "To call them from another host, set the same Cluster__Token on every node and send 'Authorization: Bearer <token>'.",
                statusCode: StatusCodes.Status403Forbidden,
                title: "Cluster routes answer loopback callers only"));
        }

        if (IsAuthorized(http.Request.Headers.Authorization.ToString()))
        {
            return next(context);
        }

        http.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(TypedResults.Problem(
            "This route is for the nodes of the cluster: send 'Authorization: Bearer <Cluster:Token>'.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Cluster token required"));
    }

    /// <summary>
    /// 127.0.0.0/8, ::1, and IPv4 loopback mapped to IPv6 (a dual-stack socket). An unknown address is not loopback:
    /// protected mode fails closed.
    /// </summary>
    public static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

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
    /// <summary>
    /// Marks a route or group as cluster-internal: it then needs the cluster token when one is set, and a loopback
    /// caller when none is (protected mode). The API document lists both refusals.
    /// </summary>
    public static TBuilder RequireClusterToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .AddEndpointFilter((context, next) =>
                context.HttpContext.RequestServices.GetRequiredService<ClusterTokenFilter>().InvokeAsync(context, next))
            .WithMetadata(
                new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ["application/problem+json"]),
                new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(ProblemDetails), ["application/problem+json"]));
}
