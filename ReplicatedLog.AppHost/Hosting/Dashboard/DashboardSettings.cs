using System.ComponentModel.DataAnnotations;

namespace ReplicatedLog.AppHost.Hosting.Dashboard;

/// <summary>Section <c>AppHost:Dashboard</c>: whether the AppHost runs the dashboard, and on which ports (Aspire's by default).</summary>
public sealed class DashboardSettings
{
    /// <summary>Aspire's dashboard's ports: the defaults here, and where it always listens when deployed in a container.</summary>
    public const int DefaultPort = 18_888, DefaultOtlpGrpcPort = 18_889, DefaultOtlpHttpPort = 18_890;

    /// <summary>Off with <c>--no-dashboard</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Its pages, and the login URL the AppHost prints (<c>--dashboard-port 18888</c>).</summary>
    [Range(1, 65_535)]
    public int Port { get; set; } = DefaultPort;

    /// <summary>OTLP/gRPC, for a service started by hand that exports over gRPC.</summary>
    [Range(1, 65_535)]
    public int OtlpGrpcPort { get; set; } = DefaultOtlpGrpcPort;

    /// <summary>OTLP/HTTP: where the AppHost's services send their telemetry (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    [Range(1, 65_535)]
    public int OtlpHttpPort { get; set; } = DefaultOtlpHttpPort;

    public IEnumerable<int> Ports => [Port, OtlpGrpcPort, OtlpHttpPort];
}
