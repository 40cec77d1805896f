using ReplicatedLog.AppHost.Hosting;
using ReplicatedLog.AppHost.Hosting.Events;
using ReplicatedLog.AppHost.Hosting.Model;

namespace ReplicatedLog.Tests.Unit;

/// <summary>The dashboard as the AppHost wires it, read from the model without starting anything.</summary>
public sealed class DashboardWiringTests
{
    [Fact]
    public void EveryProjectWaitsForTheDashboardAndSendsItsTelemetryThereWithTheKeyTheDashboardRequires()
    {
        var builder = ClusterHostBuilder.Create(["--secondaries", "1"]);
        var dashboard = builder.AddDashboard();
        ReplicatedLog.AppHost.Program.Topology(builder).Build();

        var own = dashboard.Resource.EnvironmentFor(ExecutionMode.Run);
        Assert.Equal(("http://localhost:18888", "http://localhost:18889", "http://localhost:18890"),
            (own["ASPNETCORE_URLS"], own["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"], own["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]));
        Assert.Equal(("BrowserToken", dashboard.BrowserToken!.Value, "ApiKey", "ApiKey"),
            (own["Dashboard__Frontend__AuthMode"], own["Dashboard__Frontend__BrowserToken"], own["Dashboard__Otlp__AuthMode"],
                own["Dashboard__ResourceServiceClient__AuthMode"]));
        Assert.Equal(new Uri($"http://localhost:18888/login?t={dashboard.BrowserToken.Value}"), dashboard.LoginUrl);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", own.Keys);
        // Its Cluster page reads the master and changes the secondaries' delay and faults, which need the token.
        Assert.Equal(("http://localhost:8000", builder["master"].EnvironmentFor(ExecutionMode.Run)["Cluster__Token"]),
            (own["services__master__http__0"], own["Cluster__Token"]));
        Assert.All(new[] { "master", "secondary-1" }.Select(name => builder[name]), service =>
        {
            Assert.Contains(dashboard.Resource, service.WaitsFor);
            var run = service.EnvironmentFor(ExecutionMode.Run);
            Assert.Equal(("http://localhost:18890", "http/protobuf", $"x-otlp-api-key={own["Dashboard__Otlp__PrimaryApiKey"]}", $"service.instance.id={service.Name}"),
                (run["OTEL_EXPORTER_OTLP_ENDPOINT"], run["OTEL_EXPORTER_OTLP_PROTOCOL"], run["OTEL_EXPORTER_OTLP_HEADERS"], run["OTEL_RESOURCE_ATTRIBUTES"]));
            Assert.Equal("1000", run["OTEL_BSP_SCHEDULE_DELAY"]);

            // Rendered for a deployment: placeholders, never the key, and the exporters' own pace.
            var publish = service.EnvironmentFor(ExecutionMode.Publish);
            Assert.Equal(("{dashboard.bindings.otlp-http.url}", "x-otlp-api-key={dashboard-otlp-api-key.value}"),
                (publish["OTEL_EXPORTER_OTLP_ENDPOINT"], publish["OTEL_EXPORTER_OTLP_HEADERS"]));
            Assert.DoesNotContain("OTEL_BSP_SCHEDULE_DELAY", publish.Keys);
        });
        Assert.Equal(["Cluster token for this run (a node you start by hand needs it as Cluster__Token)"],
            builder.Parameters.Where(p => p.Description is not null).Select(p => p.Description));
        Assert.All(builder.Parameters, p => Assert.True(p.Secret, $"{p.Name} is not secret"));
    }

    [Fact]
    public void TheDashboardSwitchesSetItsSettingsAndPortsThatCollideAreAnError()
    {
        Assert.False(ClusterHostBuilder.Create(["--no-dashboard"]).Settings.Dashboard.Enabled);
        Assert.Equal(19_000, ClusterHostBuilder.Create(["--dashboard-port", "19000"]).Settings.Dashboard.Port);
        Assert.Equal([18_888, 18_889, 18_890], ClusterHostBuilder.Create([]).Settings.Dashboard.Ports);

        var error = Assert.Throws<ArgumentException>(() => ClusterHostBuilder.Create(["--base-port", "18887"])).Message;
        Assert.Equal("The dashboard's ports (18888, 18889, 18890) must differ from each other and from the services' (18887 to 18889).", error);
        Assert.Equal(18_887, ClusterHostBuilder.Create(["--base-port", "18887", "--no-dashboard"]).Settings.BasePort);
        Assert.StartsWith("The dashboard's ports", Assert.Throws<ArgumentException>(() =>
            ClusterHostBuilder.Create(["--AppHost:Dashboard:OtlpHttpPort=18888"])).Message);
    }

    [Fact]
    public async Task TheResourceServiceMasksEverySecretAndTheValuesThatContainOne()
    {
        var builder = ClusterHostBuilder.Create(["--secondaries", "1"]);
        builder.AddDashboard();
        ReplicatedLog.AppHost.Program.Topology(builder);
        await using var host = builder.Build();
        var environment = builder["master"].EnvironmentFor(ExecutionMode.Run);

        var view = host.ResourceService!.View(new ResourceSnapshot("master", ResourceState.Running, Environment: environment));

        var secret = view.Environment.Where(v => v.Secret).Select(v => v.Name).Order().ToList();
        Assert.Equal(["Cluster__Token", "OTEL_EXPORTER_OTLP_HEADERS"], secret);
        Assert.All(view.Environment.Where(v => v.Secret), v => Assert.Null(v.Value));
        Assert.Equal("http://localhost:18890", view.Environment.Single(v => v.Name == "OTEL_EXPORTER_OTLP_ENDPOINT").Value);
    }
}
