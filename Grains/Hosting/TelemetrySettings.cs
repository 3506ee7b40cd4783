namespace OrleansFunc.Hosting;

/// <summary>Metrics an operator's Prometheus scrapes from each WebFront.</summary>
public sealed class TelemetrySettings
{
    /// <summary>Serves <c>GET /metrics</c> in Prometheus' text format.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// Networks (CIDR) beyond this machine whose callers may read <c>/metrics</c>; others get the 404 of an unknown
    /// route. The metrics name funcs and count calls, so by default only this machine may read them (a Prometheus on
    /// the node); add the monitoring network here.
    /// </summary>
    public List<string> MetricsAllowedNetworks { get; set; } = [];
}
