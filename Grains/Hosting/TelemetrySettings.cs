namespace OrleansFunc.Hosting;

/// <summary>Metrics an operator's Prometheus scrapes from each WebFront.</summary>
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
}
