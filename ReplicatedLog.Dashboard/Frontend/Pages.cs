using System.Reflection;

namespace ReplicatedLog.Dashboard.Frontend;

/// <summary>
/// The pages, at Aspire's routes: <c>/</c> (resources), <c>/consolelogs</c>, <c>/structuredlogs</c>, <c>/traces</c>
/// (and <c>/traces/detail/{id}</c>), <c>/metrics</c>, and <c>/cluster</c>, which Aspire has not. They are one shell that draws itself from the JSON API; the
/// shell, its script and its style are built into the assembly, so the dashboard runs from any directory.
/// </summary>
public static class Pages
{
    private static readonly string[] Routes =
    [
        "/", "/consolelogs", "/consolelogs/resource/{name}", "/structuredlogs", "/structuredlogs/resource/{name}", "/traces",
        "/traces/detail/{traceId}", "/metrics", "/metrics/resource/{name}", "/cluster",
    ];

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder routes, string frontendHost)
    {
        foreach (var route in Routes)
        {
            routes.MapGet(route, () => Asset("index.html", "text/html; charset=utf-8")).RequireAuthorization(BrowserLogin.Policy).RequireHost(frontendHost);
        }

        // The login page needs the style before anyone is logged in; neither file holds data.
        routes.MapGet("/app.js", () => Asset("app.js", "text/javascript; charset=utf-8")).AllowAnonymous().RequireHost(frontendHost);
        routes.MapGet("/app.css", () => Asset("app.css", "text/css; charset=utf-8")).AllowAnonymous().RequireHost(frontendHost);
        return routes;
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = typeof(Pages).Assembly.GetManifestResourceStream($"ReplicatedLog.Dashboard.Frontend.Assets.{name}")
            ?? throw new InvalidOperationException($"The dashboard was built without its {name}.");
        return Results.Stream(stream, contentType);
    }
}
