namespace OrleansFunc.Hosting;

/// <summary>
/// Settings of every host, section <c>OrleansFunc</c> of the standard ASP.NET configuration
/// (appsettings.json, environment variables such as <c>OrleansFunc__Cluster__SiloPort</c>).
/// </summary>
public sealed class OrleansFuncOptions
{
    public const string Section = "OrleansFunc";

    /// <summary>Folder for the embedded PostgreSQL and other local files (env <c>ORLEANSFUNC_DATA</c>).</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>HTTP port of WebFront on 127.0.0.1 unless ASP.NET <c>urls</c> is set (env <c>ORLEANSFUNC_HTTP_PORT</c>).</summary>
    public int HttpPort { get; set; } = 8088;

    public StorageSettings Storage { get; set; } = new();

    public ClusterSettings Cluster { get; set; } = new();

    public AuthSettings Auth { get; set; } = new();

    public EngineSettings Engine { get; set; } = new();

    /// <summary>Operation records kept; the oldest are dropped first.</summary>
    public int OperationRecordsKept { get; set; } = 50_000;

    /// <summary>Restore points of the script library kept; the oldest are dropped first.</summary>
    public int RestorePointsKept { get; set; } = 30;

    public SecretSettings Secrets { get; set; } = new();

    public UploadSettings Uploads { get; set; } = new();

    public TelemetrySettings Telemetry { get; set; } = new();

    /// <summary>
    /// Settings scripts read with <c>DFF.CONFIG</c>; every name starts with <c>CUSTOM_</c>, as in DataFlux Func. The
    /// host's <c>DFF_CUSTOM_*</c> environment variables (a 1.x installation's way to set them) count too, and win.
    /// </summary>
    public Dictionary<string, string> CustomConfig { get; set; } = new(StringComparer.Ordinal);

    /// <summary><see cref="CustomConfig"/> with the host's <c>DFF_CUSTOM_*</c> environment variables over it.</summary>
    public IReadOnlyDictionary<string, string> ScriptConfig()
    {
        var all = new SortedDictionary<string, string>(CustomConfig, StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith("DFF_CUSTOM_", StringComparison.Ordinal))
            {
                all[name["DFF_".Length..]] = variable.Value as string ?? "";
            }
        }
        return all;
    }

    /// <summary>The scrape token's file (see <see cref="TelemetrySettings.MetricsTokenFile"/>).</summary>
    public string MetricsTokenFile => string.IsNullOrEmpty(Telemetry.MetricsTokenFile)
        ? Path.Combine(Path.GetFullPath(DataFolder), "metrics.token")
        : Telemetry.MetricsTokenFile;

    /// <summary>
    /// The resource folder scripts read files from (<c>DFF.RESP_FILE</c> paths are relative to it), with
    /// <c>.downloads/</c> for <c>DFF.RESP_LARGE_DATA</c>; made at start, readable by the workers.
    /// </summary>
    public string ResourceFolder => Path.Combine(Path.GetFullPath(DataFolder), "resources");

    /// <summary>Files uploaded to simplified auth-link calls, one folder per call; readable by the workers.</summary>
    public string UploadFolder => Path.Combine(Path.GetFullPath(DataFolder), "uploads");

    /// <summary>
    /// The installed Python packages of this host, one folder per generation (<c>g{N}</c>) unpacked from PostgreSQL,
    /// readable by the workers; the newest is on their path.
    /// </summary>
    public string PythonPackageFolder => Path.Combine(Path.GetFullPath(DataFolder), "python-packages");

    /// <summary>The cluster's certificate file (<see cref="ClusterSettings.TlsCertificateFile"/>).</summary>
    public string ClusterCertificateFile => string.IsNullOrWhiteSpace(Cluster.TlsCertificateFile)
        ? Path.Combine(Path.GetFullPath(DataFolder), "cluster.pfx")
        : Path.GetFullPath(Cluster.TlsCertificateFile);

    /// <summary>The key file of data source secrets (<see cref="SecretSettings.KeyFile"/>).</summary>
    public string SecretKeyFile => string.IsNullOrWhiteSpace(Secrets.KeyFile)
        ? Path.Combine(Path.GetFullPath(DataFolder), "secret.key")
        : Path.GetFullPath(Secrets.KeyFile);

    /// <summary>Fails at start with the name of the first bad setting.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(DataFolder), "OrleansFunc:DataFolder", "must not be empty");
        Require(HttpPort is > 0 and < 65536, "OrleansFunc:HttpPort", "must be a TCP port (1-65535)");
        Require(!string.IsNullOrWhiteSpace(Cluster.ClusterId), "OrleansFunc:Cluster:ClusterId", "must not be empty");
        Require(!string.IsNullOrWhiteSpace(Cluster.ServiceId), "OrleansFunc:Cluster:ServiceId", "must not be empty");
        Require(Cluster.SiloPort is >= 0 and < 65536, "OrleansFunc:Cluster:SiloPort", "must be 0 (any free port) or a TCP port");
        Require(Cluster.GatewayPort is >= 0 and < 65536, "OrleansFunc:Cluster:GatewayPort", "must be 0 (any free port) or a TCP port");
        Require(System.Net.IPAddress.TryParse(Cluster.AdvertisedAddress, out _), "OrleansFunc:Cluster:AdvertisedAddress", "must be an IP address");
        Require(!Cluster.Tls || string.IsNullOrEmpty(Cluster.TlsCertificateFile) || File.Exists(Cluster.TlsCertificateFile),
            "OrleansFunc:Cluster:TlsCertificateFile", "must name an existing PKCS#12 file");
        Require(Auth.SessionIdleTimeout > TimeSpan.Zero, "OrleansFunc:Auth:SessionIdleTimeout", "must be positive");
        Require(Auth.SessionMaxAge >= Auth.SessionIdleTimeout, "OrleansFunc:Auth:SessionMaxAge", "must be at least the idle timeout");
        Require(CustomConfig.Keys.All(k => k.StartsWith("CUSTOM_", StringComparison.Ordinal)), "OrleansFunc:CustomConfig",
            "names must start with CUSTOM_ (the only settings scripts may read)");
        Require(OperationRecordsKept >= 100, "OrleansFunc:OperationRecordsKept", "must be at least 100");
        Require(RestorePointsKept is >= 1 and <= 1000, "OrleansFunc:RestorePointsKept", "must be between 1 and 1000");
        Require(Uploads.MaxCallMb is >= 1 and <= 4096, "OrleansFunc:Uploads:MaxCallMb", "must be between 1 and 4096");
        Require(Uploads.FolderLimitMb >= Uploads.MaxCallMb, "OrleansFunc:Uploads:FolderLimitMb", "must be at least MaxCallMb");
        Require(!Telemetry.Tracing || Uri.TryCreate(Telemetry.OtlpEndpoint, UriKind.Absolute, out _), "OrleansFunc:Telemetry:OtlpEndpoint",
            "must be an absolute URL, such as http://collector:4318");
        Require(Telemetry.OtlpProtocol is "http/protobuf" or "grpc", "OrleansFunc:Telemetry:OtlpProtocol", "must be http/protobuf or grpc");
        Require(Telemetry.TraceSampleRatio is >= 0 and <= 1, "OrleansFunc:Telemetry:TraceSampleRatio", "must be between 0 and 1");
        Require(Telemetry.SlowRequestMs >= 1, "OrleansFunc:Telemetry:SlowRequestMs", "must be at least 1");
        Require(Telemetry.RequestLogKept >= 1, "OrleansFunc:Telemetry:RequestLogKept", "must be at least 1");
        Require(Telemetry.OperationsPort is >= 0 and < 65536, "OrleansFunc:Telemetry:OperationsPort", "must be a TCP port, or 0 for none");
        foreach (var (lane, settings) in Engine.Lanes)
        {
            Require(settings.Workers is >= 1 and <= 64, $"OrleansFunc:Engine:Lanes:{lane}:Workers", "must be between 1 and 64");
            Require(settings.DefaultTimeoutSeconds is >= 1 and <= 3600, $"OrleansFunc:Engine:Lanes:{lane}:DefaultTimeoutSeconds",
                "must be between 1 and 3600");
        }
        foreach (var lane in Enum.GetValues<OrleansFunc.Engine.Lane>())
        {
            Require(Engine.Lanes.ContainsKey(lane), $"OrleansFunc:Engine:Lanes:{lane}", "must be configured");
        }
        foreach (var (name, pool) in Engine.Pools)
        {
            Require(System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z0-9_-]{1,64}$") && !OrleansFunc.Common.WireNames<OrleansFunc.Engine.Lane>.All.Contains(name),
                $"OrleansFunc:Engine:Pools:{name}", "must be named with letters, digits, _ or - (not a lane's name)");
            Require(pool.Workers is >= 1 and <= 64, $"OrleansFunc:Engine:Pools:{name}:Workers", "must be between 1 and 64");
        }
        var queues = Engine.Pools.SelectMany(p => p.Value.Queues.Append(p.Key)).ToList();
        Require(queues.Count == queues.Distinct().Count(), "OrleansFunc:Engine:Pools", "must not name a queue twice");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Setting {name} {rule}.");
        }
    }
}

public sealed class StorageSettings
{
    /// <summary>Npgsql connection string; empty starts the embedded PostgreSQL in the data folder.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where initdb, pg_ctl and postgres are.</summary>
    public string PostgresBinDirectory { get; set; } = "/usr/lib/postgresql/15/bin";

    /// <summary>The OS user that runs the embedded server when the host runs as root.</summary>
    public string EmbeddedOsUser { get; set; } = "orleansfunc";

    /// <summary>PostgreSQL connections this host may hold, Orleans' and ours together (see <c>ConnectionBudget</c>).</summary>
    public int ConnectionBudget { get; set; } = 40;
}

/// <summary>How WebFront joins the cluster.</summary>
public enum ClusterMode
{
    /// <summary>WebFront hosts a silo itself (the single-node default).</summary>
    CoHosted,

    /// <summary>WebFront is only an Orleans client of silos run by the Silo host.</summary>
    Client,
}

public sealed class ClusterSettings
{
    /// <summary>
    /// Runs in Kubernetes (Orleans' Kubernetes hosting): the silo is named after its pod, and a silo whose pod is gone is
    /// declared dead at once instead of after missed probes. Needs the pod's POD_NAME, POD_NAMESPACE and POD_IP, a service
    /// account that may list and delete pods, and AdvertisedAddress set to the pod's IP (deploy/kubernetes does all three).
    /// </summary>
    public bool Kubernetes { get; set; }

    public ClusterMode Mode { get; set; } = ClusterMode.CoHosted;

    public string ClusterId { get; set; } = "orleansfunc";

    /// <summary>Names the stored grain state and reminders; keep it stable across deployments.</summary>
    public string ServiceId { get; set; } = "orleansfunc";

    /// <summary>Silo-to-silo port; 0 picks a free port at start.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port; 0 picks a free port at start.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Orleans traffic between silos and clients is mutual TLS, and only a peer showing the cluster's own
    /// certificate is let in (see <see cref="ClusterTls"/>): a script that reaches a silo port cannot
    /// speak Orleans to it. Turn off only where every process that can reach the ports is trusted.
    /// </summary>
    public bool Tls { get; set; } = true;

    /// <summary>
    /// A PKCS#12 file (certificate and key) shared by every silo and client of the cluster; empty: <c>&lt;data&gt;/cluster.pfx</c>,
    /// made on first use (a cluster's hosts then need a copy of the same file, as of the secret key file).
    /// </summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>The password of <see cref="TlsCertificateFile"/>, if it has one.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>
    /// How long a silo waits for another's answer to a liveness probe. With <see cref="MissedProbesLimit"/>,
    /// it bounds how long a dead silo's runs hang before they fail and its grains move: about
    /// ProbeTimeout × MissedProbesLimit plus a table write (Orleans' defaults: 5 s × 3, and a minute's
    /// table refresh). Shorter detects faster; too short on a loaded or paused host (a long GC) declares
    /// a live silo dead, which then restarts.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Probes a silo may miss before the others vote it dead.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>How often silos re-read the membership table and clients their gateway list.</summary>
    public TimeSpan MembershipRefresh { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// On SIGTERM, how long a host may take to stop: it stops taking calls and runs, lets those in flight
    /// end, hands its grains over and leaves the cluster. Runs still going then are stopped.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(90);
}

public sealed class AuthSettings
{
    /// <summary>A session unused for this long expires.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A session expires this long after sign-in, used or not.</summary>
    public TimeSpan SessionMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Password checks (slow hashes) of sign-ins under way at once; 0: one per core. More sign-ins wait.</summary>
    public int PasswordChecksAtOnce { get; set; }

    /// <summary>How long a sign-in waits for a password check before it is answered 429 (TooManySignIns).</summary>
    public TimeSpan PasswordCheckWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Addresses of reverse proxies in front of WebFront (e.g. <c>127.0.0.1</c> for an HAProxy on the
    /// same host): only from them are <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> believed, for
    /// the client's address (sign-in limits, records) and HTTPS (the session cookie's Secure flag).
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}
