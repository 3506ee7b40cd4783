using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// A script author attacks the worker that runs the script: its start (Python's own start-up files,
/// other workers' folders), the server's secrets in the systemd layout, and the network (a script
/// may call out, never serve). The sandbox is on by default; without it the server starts only when
/// the operator accepted the risk, and says so.
/// </summary>
public sealed class WorkerIsolationTests
{
    private const string Code =
        "import glob, json, os, site, socket, sys\n\n" +
        "def _try(action):\n    try:\n        return 'ok: %s' % (action(),)\n    except Exception as e:\n        return 'refused: %s' % type(e).__name__\n\n" +
        "def python_flags():\n" +
        "    return {'isolated': sys.flags.isolated, 'noUserSite': sys.flags.no_user_site, 'ignoreEnvironment': sys.flags.ignore_environment, " +
        "'userSite': bool(site.ENABLE_USER_SITE), 'pathHasWorkingFolder': '' in sys.path or os.getcwd() in sys.path}\n\n" +
        "def _plant(folder):\n    path = os.path.join(folder, 'planted.pth')\n    with open(path, 'w') as f:\n        f.write('import os\\n')\n    return path\n\n" +
        "def plant_in_other_workers(tmp):\n" +
        "    mine = os.path.dirname(os.environ['HOME'])\n    planted = []\n" +
        "    for folder in glob.glob(os.path.join(tmp, 'orleansfunc-worker-*')):\n" +
        "        if folder == mine:\n            continue\n" +
        "        for target in [folder] + glob.glob(os.path.join(folder, '*')):\n" +
        "            outcome = _try(lambda: _plant(target))\n" +
        "            if outcome.startswith('ok'):\n                planted.append(target)\n" +
        "    return {'others': len(glob.glob(os.path.join(tmp, 'orleansfunc-worker-*'))) - 1, 'planted': planted}\n\n" +
        "def read(path):\n    return _try(lambda: open(path).read()[:20])\n\n" +
        "def listen_tcp():\n    s = socket.socket()\n    return _try(lambda: (s.bind(('127.0.0.1', 0)), s.listen(1), s.getsockname()[1])[2])\n\n" +
        "def listen_unix():\n    s = socket.socket(socket.AF_UNIX)\n    return _try(lambda: (s.bind(os.path.join(os.environ['HOME'], 'x.sock')), s.listen(1))[1])\n\n" +
        "def bind_then_connect(port):\n    s = socket.create_connection(('127.0.0.1', port), timeout=10, source_address=('', 0))\n    s.close()\n    return 'connected'\n\n" +
        "def reach(port, socket_path):\n" +
        "    def tcp():\n        socket.create_connection(('127.0.0.1', port), timeout=10).close()\n" +
        "    def unix():\n        s = socket.socket(socket.AF_UNIX)\n        s.connect(socket_path)\n        s.close()\n" +
        "    return {'tcp': _try(tcp), 'unix': _try(unix)}\n\n" +
        "def connect_each(ports):\n" +
        "    return [_try(lambda: socket.create_connection(('127.0.0.1', port), timeout=10).close()) for port in ports]\n\n" +
        "def connect(port):\n    s = socket.create_connection(('127.0.0.1', port), timeout=10)\n    s.sendall(b'hello')\n    s.close()\n    return 'sent'\n";

    private static async Task<JsonElement> RunAsync(TestServer server, string token, string func, object kwargs)
    {
        var set = SharedServerFixture.UniqueId("wi");
        (await server.PostAsync("/api/v1/script-sets", new { id = set }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, token)).AssertOk();
        return (await server.PostAsync($"/api/v1/scripts/{set}__main/run", new { funcName = func, kwargs }, token)).AssertOk().GetProperty("result");
    }

    private static TestServer.Settings NewSettings() => new(TestPaths.NewTempFolder("data"));

    private static Dictionary<string, string> Unisolated(TestServer.Settings settings) => new(settings.ToEnvironment())
    {
        ["OrleansFunc__Engine__Sandbox"] = "None",
        ["OrleansFunc__Engine__AcceptUnisolatedWorkers"] = "true",
    };

    [Fact]
    public async Task Python_StartsIsolated_WithoutUserSiteOrWorkingFolder()
    {
        await using var server = await TestServer.StartAsync(NewSettings());
        var token = await server.SetUpAndSignInAsync();

        var flags = await RunAsync(server, token, "python_flags", new { });

        Assert.Equal(1, flags.GetProperty("isolated").GetInt32());
        Assert.Equal(1, flags.GetProperty("noUserSite").GetInt32());
        Assert.Equal(1, flags.GetProperty("ignoreEnvironment").GetInt32());
        Assert.False(flags.GetProperty("userSite").GetBoolean());
        Assert.False(flags.GetProperty("pathHasWorkingFolder").GetBoolean());
    }

    [Fact]
    public async Task WithoutTheSandbox_AWorkerCannotPlantFilesInAnotherWorkersFolder()
    {
        var settings = NewSettings();
        await using var server = await TestServer.StartAsync(settings, Unisolated(settings));
        var token = await server.SetUpAndSignInAsync();

        var outcome = await RunAsync(server, token, "plant_in_other_workers", new { tmp = Path.GetTempPath() });

        Assert.True(outcome.GetProperty("others").GetInt32() > 0, "no other worker's folder to attack: " + outcome);
        Assert.Equal(0, outcome.GetProperty("planted").GetArrayLength());
    }

    [Fact]
    public async Task SandboxNone_IsRefused_UnlessTheRiskIsAccepted()
    {
        var settings = NewSettings();
        var environment = new Dictionary<string, string>(settings.ToEnvironment()) { ["OrleansFunc__Engine__Sandbox"] = "None" };
        var process = HostProcess.Start(TestPaths.WebFrontDll, environment);
        await using (process)
        {
            Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(120)), "the server started with unisolated workers nobody accepted");
            Assert.Contains("AcceptUnisolatedWorkers", process.Output);
        }
    }

    [Fact]
    public async Task AcceptedUnisolatedWorkers_AreReportedToTheConsole()
    {
        var settings = NewSettings();
        await using var unisolated = await TestServer.StartAsync(settings, Unisolated(settings));
        await using var sandboxed = await TestServer.StartAsync(NewSettings());

        Assert.True((await unisolated.GetAsync("/api/v1/setup")).AssertOk().GetProperty("unisolatedWorkers").GetBoolean());
        Assert.False((await sandboxed.GetAsync("/api/v1/setup")).AssertOk().GetProperty("unisolatedWorkers").GetBoolean());
    }

    [Fact]
    public async Task ByDefault_AScriptSeesNoProcessOfTheServer()
    {
        await using var server = await TestServer.StartAsync(NewSettings());
        var token = await server.SetUpAndSignInAsync();

        var cmdline = await RunAsync(server, token, "read", new { path = $"/proc/{server.Process.Id}/cmdline" });

        Assert.StartsWith("refused", cmdline.GetString());
    }

    [Fact]
    public async Task SystemdLayout_AScriptReadsNeitherTheDatabasePasswordNorTheServersEnvironment()
    {
        var settings = NewSettings();
        await using var server = await TestServer.StartAsync(settings, osUser: OsUsers.Server);
        var token = await server.SetUpAndSignInAsync();

        var credentials = await RunAsync(server, token, "read", new { path = Path.Combine(settings.DataFolder, "pg-credentials.json") });
        var environ = await RunAsync(server, token, "read", new { path = $"/proc/{server.Process.Id}/environ" });

        Assert.True(File.Exists(Path.Combine(settings.DataFolder, "pg-credentials.json")));
        Assert.StartsWith("refused", credentials.GetString());
        Assert.StartsWith("refused", environ.GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(OsUsers.Server)]
    public async Task AScript_CannotListen_ButCanCallOut(string? osUser)
    {
        await using var server = await TestServer.StartAsync(NewSettings(), osUser: osUser);
        var token = await server.SetUpAndSignInAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptTcpClientAsync();

        var tcp = await RunAsync(server, token, "listen_tcp", new { });
        var unix = await RunAsync(server, token, "listen_unix", new { });
        var call = await RunAsync(server, token, "connect", new { port = ((IPEndPoint)listener.LocalEndpoint).Port });
        var boundCall = await RunAsync(server, token, "bind_then_connect", new { port = ((IPEndPoint)listener.LocalEndpoint).Port });

        Assert.Equal("refused: PermissionError", tcp.GetString());
        Assert.Equal("refused: PermissionError", unix.GetString());
        Assert.Equal("sent", call.GetString());
        Assert.Equal("connected", boundCall.GetString());
        using var client = await accepted.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// The embedded PostgreSQL listens only on a socket in the data folder, which the sandbox hides:
    /// a script reaches it neither by TCP on its port nor by its socket file.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData(OsUsers.Server)]
    public async Task AScript_CannotReachTheEmbeddedDatabase(string? osUser)
    {
        var settings = NewSettings();
        await using var server = await TestServer.StartAsync(settings, osUser: osUser);
        var token = await server.SetUpAndSignInAsync();
        // postmaster.pid: pid, folder, start time, port, socket folder, listen address, ...
        var postmaster = File.ReadAllLines(Path.Combine(settings.DataFolder, "pg", "postmaster.pid"));
        var port = int.Parse(postmaster[3]);

        var reach = await RunAsync(server, token, "reach", new { port, socket_path = Path.Combine(settings.DataFolder, "pg", $".s.PGSQL.{port}") });

        Assert.Equal("", postmaster[5].Trim());
        Assert.StartsWith("refused", reach.GetProperty("tcp").GetString());
        Assert.StartsWith("refused", reach.GetProperty("unix").GetString());
    }

    /// <summary>
    /// The silo's Orleans ports (silo and gateway) are closed to scripts by a Landlock ruleset, in
    /// both layouts: a script gets PermissionError at connect, while a port of anyone else answers.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData(OsUsers.Server)]
    public async Task AScript_CannotConnectToTheOrleansPorts(string? osUser)
    {
        var settings = NewSettings();
        await using var server = await TestServer.StartAsync(settings, osUser: osUser);
        var token = await server.SetUpAndSignInAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        var outcomes = await RunAsync(server, token, "connect_each",
            new { ports = new[] { settings.SiloPort, settings.GatewayPort, ((IPEndPoint)listener.LocalEndpoint).Port } });

        Assert.Equal(["refused: PermissionError", "refused: PermissionError", "ok: None"], outcomes.EnumerateArray().Select(o => o.GetString()));
    }
}
