using System.Text.Json;
using Xunit;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>A running WebFront process and an HTTP client for it.</summary>
public sealed class TestServer : ApiClient, IAsyncDisposable
{
    private TestServer(HostProcess process, Uri baseAddress, string dataFolder, string? connectionString) : base(baseAddress)
    {
        ConnectionString = connectionString;
        Process = process;
        DataFolder = dataFolder;
    }

    public HostProcess Process { get; }

    public string DataFolder { get; }

    /// <summary>Its PostgreSQL database (null: the embedded one in its data folder).</summary>
    public string? ConnectionString { get; }

    /// <summary>Settings for a server: its own data folder, ports, and (optionally) a database to use.</summary>
    public sealed record Settings(string DataFolder, string? ConnectionString = null, string ClusterId = "orleansfunc")
    {
        public int HttpPort { get; init; } = HostProcess.FreePort();
        public int SiloPort { get; init; } = HostProcess.FreePort();
        public int GatewayPort { get; init; } = HostProcess.FreePort();

        public Dictionary<string, string> ToEnvironment() => new()
        {
            ["ORLEANSFUNC_DATA"] = DataFolder,
            ["ORLEANSFUNC_HTTP_PORT"] = HttpPort.ToString(),
            ["OrleansFunc__Storage__ConnectionString"] = ConnectionString ?? "",
            ["OrleansFunc__Cluster__ClusterId"] = ClusterId,
            ["OrleansFunc__Cluster__SiloPort"] = SiloPort.ToString(),
            ["OrleansFunc__Cluster__GatewayPort"] = GatewayPort.ToString(),
            ["OrleansFunc__Cluster__TlsCertificateFile"] = TestPaths.ClusterCertificate,
            // Runs left going when a test ends do not hold its server's stop (a cluster test that drains sets more).
            ["OrleansFunc__Cluster__DrainTimeout"] = "00:00:05",
            // One warm worker per lane keeps the many test servers light.
            ["OrleansFunc__Engine__Lanes__Sync__Workers"] = "1",
            // Where tests' scripts write what the test then reads (the sandbox hides the host's /tmp).
            ["OrleansFunc__Engine__WorkerWritableFolders__0"] = TestPaths.ScriptOutput,
            // What DFF.CONFIG reads: a setting, and a 1.x installation's environment variable.
            ["OrleansFunc__CustomConfig__CUSTOM_GREETING"] = "hello",
            ["DFF_CUSTOM_REGION"] = "cn-test",
        };
    }

    /// <summary>A server on a new database of the shared test PostgreSQL.</summary>
    public static async Task<TestServer> StartOnSharedPostgresAsync() =>
        await StartAsync(new Settings(TestPaths.NewTempFolder("data"), await TestPostgres.CreateDatabaseAsync()));

    /// <summary>Starts WebFront and waits until <c>/healthz</c> answers 200.</summary>
    /// <remarks>
    /// With <paramref name="osUser"/>, the server runs as that unprivileged user (the systemd layout):
    /// its data folder is handed to it first.
    /// </remarks>
    /// <param name="probe">What "started" means: <c>/healthz</c> (ready for work) or <c>/healthz/live</c> (serving, maybe not ready).</param>
    public static async Task<TestServer> StartAsync(Settings settings, IReadOnlyDictionary<string, string>? environment = null, string? osUser = null,
        string probe = "/healthz")
    {
        if (osUser is not null)
        {
            await OsUsers.EnsureAsync(osUser);
            Directory.CreateDirectory(settings.DataFolder);
            // The shared cluster certificate is root's (mode 600): the server gets its own copy.
            var certificate = Path.Combine(settings.DataFolder, "cluster.pfx");
            File.Copy(TestPaths.ClusterCertificate, certificate, overwrite: true);
            OsUsers.GiveTo(osUser, settings.DataFolder);
            environment = new Dictionary<string, string>(environment ?? settings.ToEnvironment())
            {
                ["OrleansFunc__Cluster__TlsCertificateFile"] = certificate,
            };
        }
        var process = HostProcess.Start(TestPaths.WebFrontDll, environment ?? settings.ToEnvironment(), osUser);
        var server = new TestServer(process, new Uri($"http://127.0.0.1:{settings.HttpPort}"), settings.DataFolder, settings.ConnectionString);
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(120), probe);
        return server;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, string probe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(Process.HasExited, $"WebFront exited during start:\n{Process.Output}");
            try
            {
                using var response = await Http.GetAsync(probe);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        Assert.Fail($"WebFront was not healthy within {timeout}:\n{Process.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}

/// <summary>An API answer with assertions on the envelope.</summary>
public sealed record ApiResponse(int Status, JsonElement Body, string Text, string Request)
{
    public JsonElement Data => Body.GetProperty("data");

    /// <summary>Asserts a 200 envelope and returns its data.</summary>
    public JsonElement AssertOk()
    {
        Assert.True(Status == 200, $"{Request} answered {Status}: {Text}");
        Assert.True(Body.GetProperty("ok").GetBoolean(), Text);
        return Data;
    }

    /// <summary>Asserts an error envelope with this code, its HTTP status, and a message.</summary>
    public ApiResponse AssertError(double code, string? reasonStartsWith = null)
    {
        Assert.True(Body.ValueKind == JsonValueKind.Object, $"{Request} answered {Status} without an envelope: {Text}");
        Assert.False(Body.GetProperty("ok").GetBoolean(), Text);
        Assert.Equal(code, Body.GetProperty("error").GetDouble());
        Assert.Equal((int)Math.Truncate(code), Status);
        Assert.False(string.IsNullOrWhiteSpace(Body.GetProperty("message").GetString()), Text);
        if (reasonStartsWith is not null)
        {
            Assert.StartsWith(reasonStartsWith, Body.GetProperty("reason").GetString());
        }
        return this;
    }

    public string Message => Body.GetProperty("message").GetString() ?? "";
}
