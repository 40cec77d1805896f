using System.Security.Cryptography;
using ReplicatedLog.AppHost.Hosting.Model;

namespace ReplicatedLog.AppHost.Hosting.Dashboard;

/// <summary>
/// The dashboard as one of the AppHost's resources, wired the way Aspire's AppHost wires its own: the
/// <c>ReplicatedLog.Dashboard</c> project on its three ports, a fresh browser token for its login link, a fresh OTLP
/// API key that it requires and that every other project is given with its OTLP endpoint, and the URL and key of the
/// AppHost's resource service. <c>ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true</c> in the AppHost's environment
/// leaves all three unsecured. Every other resource waits for it, so it starts first (and stops last).
/// </summary>
public sealed class DashboardResource
{
    public const string ResourceName = "dashboard";
    public const string OtlpGrpcEndpoint = "otlp-grpc";
    public const string OtlpHttpEndpoint = "otlp-http";
    public const string AllowAnonymousVariable = "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS";

    /// <summary>The prefix of the variables that tell the dashboard where the AppHost's resource service is and how to call it.</summary>
    public const string ResourceServiceClientSection = "Dashboard__ResourceServiceClient";

    private readonly HashSet<ServiceResource> _served = [];

    private DashboardResource(ServiceResource resource, Parameter? browserToken, Parameter? otlpApiKey, Parameter? resourceServiceApiKey)
    {
        Resource = resource;
        BrowserToken = browserToken;
        OtlpApiKey = otlpApiKey;
        ResourceServiceApiKey = resourceServiceApiKey;
    }

    public ServiceResource Resource { get; }

    /// <summary>What the login link carries; null when the dashboard is unsecured.</summary>
    public Parameter? BrowserToken { get; }

    /// <summary>What every OTLP call must carry in <c>x-otlp-api-key</c>; null when unsecured.</summary>
    public Parameter? OtlpApiKey { get; }

    /// <summary>What the dashboard sends the resource service in <c>x-resource-service-api-key</c>; null when unsecured.</summary>
    public Parameter? ResourceServiceApiKey { get; }

    /// <summary>Where the dashboard reads the resources (set once the AppHost's resource service listens).</summary>
    public Uri? ResourceServiceUrl { get; internal set; }

    /// <summary>The page a user opens: <c>http://localhost:18888/login?t=…</c>, or the plain URL when unsecured.</summary>
    public Uri LoginUrl => BrowserToken is { } token
        ? new Uri(Resource.GetEndpoint().Url, $"login?t={token.Value}")
        : Resource.GetEndpoint().Url;

    internal static DashboardResource Add(ClusterHostBuilder builder)
    {
        var settings = builder.Settings.Dashboard;
        var secured = !bool.TryParse(builder.Configuration[AllowAnonymousVariable], out var anonymous) || !anonymous;
        var dashboard = new DashboardResource(
            builder.AddProject(ResourceName, ServiceBinaries.Dashboard)
                .WithHttpEndpoint(settings.Port, targetPort: DashboardSettings.DefaultPort, isExternal: true)
                .WithHttpEndpoint(settings.OtlpGrpcPort, OtlpGrpcEndpoint, DashboardSettings.DefaultOtlpGrpcPort)
                .WithHttpEndpoint(settings.OtlpHttpPort, OtlpHttpEndpoint, DashboardSettings.DefaultOtlpHttpPort)
                .WithHttpHealthCheck("/alive"),
            Secret("dashboard-browser-token"),
            Secret("dashboard-otlp-api-key"),
            Secret("resource-service-api-key"));
        dashboard.Resource.WithEnvironment(dashboard.Configure);
        return dashboard;

        Parameter? Secret(string name) =>
            secured ? builder.AddParameter(name, RandomNumberGenerator.GetHexString(32, lowercase: true), secret: true) : null;
    }

    /// <summary>Makes every resource but the dashboard wait for it, and every project send it its telemetry (each resource once).</summary>
    internal void Serve(IEnumerable<ServiceResource> resources)
    {
        foreach (var resource in resources.Where(r => r != Resource && _served.Add(r)))
        {
            resource.WaitFor(Resource);
            if (resource.Command is ResourceCommand.Project)
            {
                resource.WithOtlpExporter(Resource.GetEndpoint(OtlpHttpEndpoint), OtlpApiKey);
            }
        }
    }

    /// <summary>
    /// The dashboard's own environment: the names Aspire's dashboard reads. The resource service is the AppHost's own,
    /// so a deployment, where no AppHost runs, gives none.
    /// </summary>
    private void Configure(EnvironmentContext context)
    {
        var variables = context.Variables;
        variables["ASPNETCORE_URLS"] = Resource.GetEndpoint().ListenAddressFor(context.Mode);
        variables["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = Resource.GetEndpoint(OtlpGrpcEndpoint).ListenAddressFor(context.Mode);
        variables["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = Resource.GetEndpoint(OtlpHttpEndpoint).ListenAddressFor(context.Mode);
        Secure(context, "Dashboard__Frontend", "BrowserToken", BrowserToken, "BrowserToken");
        Secure(context, "Dashboard__Otlp", "ApiKey", OtlpApiKey, "PrimaryApiKey");
        if (context.Mode == ExecutionMode.Run)
        {
            Secure(context, ResourceServiceClientSection, "ApiKey", ResourceServiceApiKey, "ApiKey");
            if (ResourceServiceUrl is { } url)
            {
                variables[$"{ResourceServiceClientSection}__Url"] = url.ToString();
            }
        }
    }

    private static void Secure(EnvironmentContext context, string section, string mode, Parameter? secret, string secretName)
    {
        context.Variables[$"{section}__AuthMode"] = secret is null ? "Unsecured" : mode;
        if (secret is not null)
        {
            context.Variables[$"{section}__{secretName}"] = secret.ValueFor(context.Mode);
        }
    }
}
