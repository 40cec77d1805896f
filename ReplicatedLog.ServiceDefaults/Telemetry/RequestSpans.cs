using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ReplicatedLog.ServiceDefaults.Telemetry;

/// <summary>
/// What the span of each request this service serves says: ASP.NET Core names it
/// <c>Microsoft.AspNetCore.Hosting.HttpRequestIn</c> and tags nothing (the OpenTelemetry instrumentation package that
/// would is not used here), so this names it by method and route (<c>POST /replication/append</c>) and adds the
/// semantic-convention tags a trace view shows. Requests to <see cref="QuietRoutes"/> are not recorded at all, nor
/// is anything they start, unless <see cref="TracingOptions.RecordProbesAndHeartbeats"/>.
/// </summary>
public static class RequestSpans
{
    public static IApplicationBuilder UseRequestSpans(this IApplicationBuilder app)
    {
        var quiet = !app.ApplicationServices.GetRequiredService<IOptions<TracingOptions>>().Value.RecordProbesAndHeartbeats;
        return app.Use((context, next) => TraceAsync(context, next, quiet));
    }

    /// <summary>Takes a span out of the export, and whatever starts under it (it is no longer sampled).</summary>
    public static void Unrecord(Activity activity)
    {
        activity.IsAllDataRequested = false;
        activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
    }

    // Not async where nothing is recorded (no exporter, or a quiet route): a request pays no state machine for it.
    private static Task TraceAsync(HttpContext context, RequestDelegate next, bool quiet)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null || !activity.Recorded)
        {
            return next(context);
        }

        if (quiet && QuietRoutes.IsQuiet(context.Request.Path))
        {
            Unrecord(activity);
            return next(context);
        }

        return DescribeAfterAsync(activity, context, next);
    }

    private static async Task DescribeAfterAsync(Activity activity, HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            Describe(activity, context);
        }
    }

    private static void Describe(Activity activity, HttpContext context)
    {
        var request = context.Request;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (route is not null && !route.StartsWith('/'))
        {
            route = "/" + route;
        }

        activity.DisplayName = route is null ? request.Method : $"{request.Method} {route}";
        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("url.path", request.Path.Value);
        activity.SetTag("http.route", route);
        activity.SetTag("http.response.status_code", context.Response.StatusCode);
        if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
