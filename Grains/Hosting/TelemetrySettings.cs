namespace OrleansFunc.Hosting;

/// <summary>Metrics an operator's Prometheus scrapes from each host, traces and metrics pushed over OTLP, and the probes of a headless silo.</summary>
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

    /// <summary>
    /// An OpenTelemetry collector's OTLP endpoint (e.g. <c>http://collector:4318</c>); empty: no export. When set, every
    /// host exports its traces (one per call, from the HTTP request through the grains to the worker) and its metrics.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>http/protobuf</c> (port 4318, paths <c>/v1/traces</c> and <c>/v1/metrics</c>) or <c>grpc</c> (port 4317).</summary>
    public string OtlpProtocol { get; set; } = "http/protobuf";

    /// <summary>How often metrics are pushed over OTLP.</summary>
    public TimeSpan OtlpMetricsInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The share of calls traced (a call whose caller sent a sampled <c>traceparent</c> is traced regardless).</summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>
    /// Orleans' own instruments (meter <c>Microsoft.Orleans</c>: messaging, activations, directory, ...) among the
    /// metrics. They are recorded for every grain message; bench/telemetry could not tell their cost from its noise
    /// (two runs: 8 % and -5 %), so they stay on; this turns them off where every percent counts.
    /// </summary>
    public bool OrleansMetrics { get; set; } = true;

    /// <summary>A request answered after this many milliseconds goes to the request log (as do 4xx and 5xx answers).</summary>
    public int SlowRequestMs { get; set; } = 3000;

    /// <summary>The request log keeps this many newest entries (the cluster's, all WebFronts together).</summary>
    public int RequestLogKept { get; set; } = 10_000;

    /// <summary>
    /// Orleans' dashboard at <c>/api/v1/orleans-dashboard/</c> of each WebFront, for administrators only (it shows every silo,
    /// grain type and reminder, and profiles every grain call, which costs some throughput). Every host of the cluster
    /// must have the same setting: the dashboard's own grains run on every silo.
    /// </summary>
    public bool Dashboard { get; set; }

    /// <summary>
    /// Traces also have a span for every grain call (Orleans' activity propagation): the admission, the code lookup, each
    /// directory call. Off by default: on this project's bench they cost about a fifth of a node's throughput, while the
    /// trace of a call crosses silos without them (see FuncTracing).
    /// </summary>
    public bool TraceGrainCalls { get; set; }

    /// <summary>Whether traces are made at all: only when they go somewhere.</summary>
    public bool Tracing => !string.IsNullOrWhiteSpace(OtlpEndpoint);
}
