using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ReplicatedLog.Dashboard.Frontend;

/// <summary>
/// Who may see the pages, as in Aspire's dashboard: with a browser token (given as
/// <c>Dashboard:Frontend:BrowserToken</c>, or made up at start and printed in the login link) a browser logs in once
/// at <c>/login?t=&lt;token&gt;</c> (optionally <c>&amp;returnUrl=/traces</c>) and gets a cookie; without one, pages
/// send it to the login page and the API answers 401. <c>ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true</c> or
/// <c>Dashboard:Frontend:AuthMode=Unsecured</c> turns this off.
/// </summary>
public sealed class BrowserLogin
{
    public const string CookieName = ".ReplicatedLog.Dashboard";
    public const string Policy = "BrowserToken";

    private readonly byte[] _token;

    public BrowserLogin(IConfiguration configuration)
    {
        // Aspire's two ways to turn the login off: the variable, or the frontend's auth mode.
        AllowsAnonymous = string.Equals(configuration["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"], "true", StringComparison.OrdinalIgnoreCase)
            || string.Equals(configuration[$"{DashboardOptions.SectionName}:Frontend:AuthMode"], "Unsecured", StringComparison.OrdinalIgnoreCase);
        var given = configuration[$"{DashboardOptions.SectionName}:Frontend:BrowserToken"];
        Token = string.IsNullOrEmpty(given) ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : given;
        TokenWasGiven = !string.IsNullOrEmpty(given);
        _token = Encoding.UTF8.GetBytes(Token);
    }

    public bool AllowsAnonymous { get; }

    public string Token { get; }

    /// <summary>False when the token was made up at start: then only the printed link knows it.</summary>
    public bool TokenWasGiven { get; }

    public bool Accepts(string? token) =>
        !string.IsNullOrEmpty(token) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _token);

    /// <summary>Where a login goes after it: the path asked for, when it is a path of this site, else the start page.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.Contains('\\', StringComparison.Ordinal) ? returnUrl : "/";

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<BrowserLogin>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.LoginPath = "/login";
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = TimeSpan.FromDays(3);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = context =>
            {
                // The API is for the pages' scripts: a 401 they can tell, not an HTML page.
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Results.Problem("Log in to the dashboard first: open the login link it printed (/login?t=<token>).",
                        statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(context.HttpContext);
                }

                context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.RequireAssertion(context =>
            context.User.Identity?.IsAuthenticated == true
            || (context.Resource is HttpContext http && http.RequestServices.GetRequiredService<BrowserLogin>().AllowsAnonymous)));
    }
}

/// <summary><c>/login</c> (a link with the token, or a form), <c>/logout</c>.</summary>
public static class LoginApi
{
    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/login", async (HttpContext http, BrowserLogin login, string? t, string? returnUrl) =>
        {
            if (login.AllowsAnonymous || http.User.Identity?.IsAuthenticated == true)
            {
                return Results.Redirect(BrowserLogin.SafeReturnUrl(returnUrl));
            }

            if (t is null)
            {
                return Results.Content(LoginPage(returnUrl, failed: false), "text/html; charset=utf-8");
            }

            return await SignInAsync(http, login, t, returnUrl);
        }).AllowAnonymous();
        routes.MapPost("/login", async (HttpContext http, BrowserLogin login) =>
        {
            var form = await http.Request.ReadFormAsync();
            return await SignInAsync(http, login, form["token"], form["returnUrl"]);
        }).AllowAnonymous().DisableAntiforgery();
        routes.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        }).AllowAnonymous().DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> SignInAsync(HttpContext http, BrowserLogin login, string? token, string? returnUrl)
    {
        if (!login.Accepts(token))
        {
            return Results.Content(LoginPage(returnUrl, failed: true), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "browser")], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(BrowserLogin.SafeReturnUrl(returnUrl));
    }

    private static string LoginPage(string? returnUrl, bool failed) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Log in · ReplicatedLog dashboard</title><link rel="stylesheet" href="/app.css"></head>
        <body class="login"><main>
        <h1>ReplicatedLog dashboard</h1>
        <p>Open the login link the dashboard printed when it started (<code>Login to the dashboard at …/login?t=…</code>), or paste its token.</p>
        {{(failed ? "<p class=\"error\" role=\"alert\">That token is not this dashboard's.</p>" : "")}}
        <form method="post" action="/login">
          <label>Token <input name="token" type="password" autocomplete="off" autofocus></label>
          <input type="hidden" name="returnUrl" value="{{System.Net.WebUtility.HtmlEncode(BrowserLogin.SafeReturnUrl(returnUrl))}}">
          <button type="submit">Log in</button>
        </form></main></body></html>
        """;
}
