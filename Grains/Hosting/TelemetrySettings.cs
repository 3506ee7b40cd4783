namespace OrleansFunc.Hosting;

/// <summary>Metrics an operator's Prometheus scrapes from each host, and the probes of a headless silo.</summary>
public sealed class TelemetrySettings
{
    /// <summary>Serves <c>GET /metrics</c> in Prometheus' text format, to callers that send the scrape token.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// The file of the scrape token (<c>Authorization: Bearer</c>); empty: <c>&lt;data&gt;/metrics.token</c>, made on first
    /// use. The metrics name every func and count its calls; callers on this machine are no exception (a same-host
    /// proxy makes every caller one, and scripts reach loopback), and the data folder is hidden from scripts.
    /// </summary>
    public string? MetricsTokenFile { get; set; }

    /// <summary>
    /// A headless Silo's operations port (0: none): <c>/healthz/live</c>, <c>/healthz/ready</c> and <c>/metrics</c> for
    /// Kubernetes probes and Prometheus, which a silo without HTTP could not serve. A WebFront serves them on its own port.
    /// </summary>
    public int OperationsPort { get; set; }

    /// <summary>The address the operations port listens on: loopback unless the probes come from elsewhere (a pod's kubelet).</summary>
    public string OperationsAddress { get; set; } = "127.0.0.1";
}
