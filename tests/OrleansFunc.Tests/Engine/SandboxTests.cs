using System.Text.Json;
using OrleansFunc.Engine;
using OrleansFunc.Hosting;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// Workers in the bubblewrap sandbox (EngineSettings.Sandbox): they run scripts as usual, read the
/// resources, write downloads, and are still limited and killed by the pool, but see none of the
/// data folder's other files, no other process, and a /tmp of their own. Each isolation check has a
/// file or process that the worker user could reach without the sandbox.
/// </summary>
public sealed class SandboxTests : IAsyncLifetime
{
    private const string Code =
        "import os\n\n" +
        "def read(path):\n    with open(path) as f:\n        return f.read()\n\n" +
        "def write(path):\n    with open(path, 'w') as f:\n        f.write('x')\n    return True\n\n" +
        "def listdir(path):\n    return sorted(os.listdir(path))\n\n" +
        "def signal(pid):\n    os.kill(pid, 0)\n    return True\n\n" +
        "def home():\n    return os.environ['HOME']\n\n" +
        "def pids():\n    return sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n\n" +
        "def hog():\n    blocks = []\n    while True:\n        blocks.append(bytearray(50 * 1024 * 1024))\n\n" +
        "def hang():\n    while True:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass\n";

    private string _dataFolder = "";
    private PythonEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngines.StartAsync("sandbox", options =>
        {
            _dataFolder = options.DataFolder;
            options.Engine.Sandbox = WorkerSandbox.Bubblewrap;
            options.Engine.HardKillGrace = TimeSpan.FromMilliseconds(500);
            options.Engine.MemoryLimitMb = 400;
        });
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private Task<FuncRunResult> Run(string func, object kwargs, int timeoutSeconds = 30, PythonEngine? engine = null) =>
        (engine ?? _engine).RunAsync(new FuncRunRequest(Lane.Debug, RunMode.Run, "sandbox__test", Code, "sandbox-md5", func,
            JsonSerializer.Serialize(kwargs), timeoutSeconds, TestEngines.NoContext), TestEngines.NoCallbacks);

    /// <summary>A file anyone on the host may read (so only the sandbox can keep a worker from it).</summary>
    private static string WorldReadableFile(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "visible");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        return path;
    }

    [Fact]
    public async Task TheDataFolder_ShowsOnlyResourcesUploadsAndPythonPackages()
    {
        var secret = WorldReadableFile(_dataFolder, "not-for-scripts.txt");
        var resource = WorldReadableFile(Path.Combine(_dataFolder, "resources"), "hello.txt");
        var upload = WorldReadableFile(Path.Combine(_dataFolder, "uploads", "call"), "0.txt");

        var hidden = await Run("read", new { path = secret });
        var listing = await Run("listdir", new { path = _dataFolder });
        var read = await Run("read", new { path = resource });
        var uploaded = await Run("read", new { path = upload });

        Assert.Equal("FileNotFoundError", hidden.Error?.Type);
        Assert.Equal("[\"python-packages\", \"resources\", \"uploads\"]", listing.ResultJson);
        Assert.Equal("\"visible\"", read.ResultJson);
        Assert.Equal("\"visible\"", uploaded.ResultJson);
    }

    [Fact]
    public async Task OnlyTheWorkerFolderAndDownloadsAreWritable_AndTmpIsPrivate()
    {
        var hostTmpFile = WorldReadableFile(Path.GetTempPath(), $"orleansfunc-sandbox-test-{Guid.NewGuid():N}.txt");
        try
        {
            var downloads = await Run("write", new { path = Path.Combine(_dataFolder, "resources", ".downloads", "out.txt") });
            var resources = await Run("write", new { path = Path.Combine(_dataFolder, "resources", "changed.txt") });
            var packages = await Run("write", new { path = Path.Combine(_dataFolder, "python-packages", "planted.py") });
            var ownFolder = await Run("write", new { path = "here.txt" });
            var hostTmp = await Run("read", new { path = hostTmpFile });

            Assert.True(downloads.IsSuccess, downloads.Error?.Message);
            Assert.True(File.Exists(Path.Combine(_dataFolder, "resources", ".downloads", "out.txt")));
            Assert.Contains(resources.Error?.Type, new[] { "OSError", "PermissionError" });
            Assert.Contains(packages.Error?.Type, new[] { "OSError", "PermissionError" });
            Assert.True(ownFolder.IsSuccess, ownFolder.Error?.Message);
            Assert.Equal("FileNotFoundError", hostTmp.Error?.Type);
        }
        finally
        {
            File.Delete(hostTmpFile);
        }
    }

    [Fact]
    public async Task OtherProcesses_AreNeitherSeenNorSignalled()
    {
        // A process of the worker user outside the sandbox: without it, the script could signal it.
        using var neighbour = System.Diagnostics.Process.Start("runuser", ["-u", "orleansfunc-worker", "--", "sleep", "60"]);
        try
        {
            var sleeper = await ChildOf(neighbour.Id);

            var seen = await Run("pids", new { });
            var signalled = await Run("signal", new { pid = sleeper });

            var visible = JsonSerializer.Deserialize<int[]>(seen.ResultJson!)!;
            Assert.DoesNotContain(Environment.ProcessId, visible);
            Assert.True(visible.Length < 10, $"the sandbox shows {visible.Length} processes");
            Assert.Equal("ProcessLookupError", signalled.Error?.Type);
        }
        finally
        {
            neighbour.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task TheMemoryLimit_AndTheHardKill_StillReachTheWorkerInside()
    {
        var hog = await Run("hog", new { });
        var hung = await Run("hang", new { }, timeoutSeconds: 1);
        var after = await Run("listdir", new { path = "." });

        Assert.Equal("FuncMemoryLimit", hog.Error?.Type);
        Assert.Equal(FuncRunStatus.Timeout, hung.Status);
        Assert.True(after.IsSuccess, after.Error?.Message);
    }

    [Fact]
    public async Task AWorkerProgramUnderTmp_StillRunsInside()
    {
        // A checkout cloned into mktemp -d: the program lives under the /tmp that the sandbox replaces.
        var program = TestPaths.NewTempFolder("sandbox-program");
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory)
                     .Where(f => Path.GetFileName(f) is "Python.Runtime.dll" || Path.GetFileName(f).StartsWith("PythonWorker.", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(program, Path.GetFileName(file)));
        }
        Directory.CreateDirectory(Path.Combine(program, "Runtime"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Runtime")))
        {
            File.Copy(file, Path.Combine(program, "Runtime", Path.GetFileName(file)));
        }
        Assert.StartsWith("/tmp/", program);
        await using var engine = await TestEngines.StartAsync("sandbox-tmp", options =>
        {
            options.Engine.Sandbox = WorkerSandbox.Bubblewrap;
            options.Engine.WorkerPath = Path.Combine(program, "PythonWorker.dll");
        });

        var run = await Run("listdir", new { path = "." }, engine: engine).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.IsSuccess, run.Error?.Message);
    }

    [Fact]
    public async Task AWorker_OutlivesTheThreadThatStartedIt()
    {
        // bwrap dies with its parent, and to the kernel a child's parent is the thread that forked
        // it: the thread pool ends a thread idle for 20 s, and took a busy worker down with it.
        var (engine, home) = OwnThread.Run(async () =>
        {
            var started = await TestEngines.StartAsync("sandbox-thread", options => options.Engine.Sandbox = WorkerSandbox.Bubblewrap);
            var first = await Run("home", new { }, engine: started);
            return (started, first.ResultJson);
        });
        await using var _ = engine;

        var after = await Run("home", new { }, engine: engine);

        Assert.True(after.IsSuccess, after.Error?.Message);
        Assert.Equal(home, after.ResultJson);
    }

    /// <summary>runuser forks the command: the sleep is its child.</summary>
    private static async Task<int> ChildOf(int parent)
    {
        var children = await Eventually.ValueAsync($"a child of runuser {parent}",
            () => Task.FromResult(File.ReadAllText($"/proc/{parent}/task/{parent}/children").Trim()), children => children.Length > 0,
            interval: TimeSpan.FromMilliseconds(20));
        return int.Parse(children.Split(' ')[0]);
    }
}
