using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// What a run's processes may hold: none outlives the run (not one in a session of its own, not
/// one whose report the script forged), and the memory limit covers them all. In both layouts:
/// the server as root and as its own user (deploy/systemd).
/// </summary>
public sealed class RunProcessesTests
{
    private const string Code =
        "import os, subprocess, sys, time\n\n" +
        "def detach(marker, forge=False):\n" +
        "    child = subprocess.Popen(['sh', '-c', 'sleep 600; : ' + marker], start_new_session=True)\n" +
        "    if forge:\n        import dff_channel\n        dff_channel._forked = False\n" +
        "    time.sleep(0.5)\n    return 'alive' if child.poll() is None else 'ended'\n\n" +
        "def children_hold(mb, count):\n" +
        "    for _ in range(count):\n" +
        "        if os.fork() == 0:\n            block = b'x' * (mb * 1024 * 1024)\n            time.sleep(60)\n            os._exit(0)\n" +
        "    time.sleep(30)\n    return 'held'\n\n" +
        "def burst(mb):\n" +
        "    child = os.fork()\n" +
        "    if child == 0:\n        block = b'x' * (mb * 1024 * 1024)\n        os._exit(0)\n" +
        "    _, status = os.waitpid(child, 0)\n    time.sleep(0.5)\n    return status\n\n" +
        "def threads(count):\n" +
        "    import threading\n    stop = threading.Event()\n    started = 0\n" +
        "    try:\n        for _ in range(count):\n            threading.Thread(target=stop.wait, daemon=True).start()\n            started += 1\n" +
        "    except RuntimeError:\n        pass\n" +
        "    stop.set()\n    return started\n";

    private static async Task<(TestServer Server, string Token, string Script)> StartAsync(string? osUser)
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("data"));
        var environment = new Dictionary<string, string>(settings.ToEnvironment()) { ["OrleansFunc__Engine__MemoryLimitMb"] = "1024" };
        var server = await TestServer.StartAsync(settings, environment, osUser);
        var token = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/script-sets", new { id = "procs" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "procs__main", codeDraft = Code }, token)).AssertOk();
        return (server, token, "procs__main");
    }

    private static bool AnyProcessNamed(string marker) =>
        Directory.EnumerateDirectories("/proc").Any(folder =>
        {
            try
            {
                return int.TryParse(Path.GetFileName(folder), out _) && File.ReadAllText(Path.Combine(folder, "cmdline")).Contains(marker);
            }
            catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        });

    [Theory]
    [InlineData(null, false)]
    [InlineData(null, true)]
    [InlineData(OsUsers.Server, true)]
    public async Task AProcessInASessionOfItsOwn_EndsAfterTheRun(string? osUser, bool forgeTheReport)
    {
        var (server, token, script) = await StartAsync(osUser);
        await using var _ = server;
        var marker = $"left-{Guid.NewGuid():N}";

        var run = (await server.PostAsync($"/api/v1/scripts/{script}/run", new { funcName = "detach", kwargs = new { marker, forge = forgeTheReport } }, token)).AssertOk();
        Assert.Equal("alive", run.GetProperty("result").GetString());

        await Eventually.HoldsAsync("the processes the run left to be killed", () => !AnyProcessNamed(marker));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(OsUsers.Server)]
    public async Task ChildrenTogetherOverTheMemoryLimit_StopTheRun(string? osUser)
    {
        var (server, token, script) = await StartAsync(osUser);
        await using var _ = server;

        var run = await server.PostAsync($"/api/v1/scripts/{script}/run", new { funcName = "children_hold", kwargs = new { mb = 400, count = 4 } }, token);

        Assert.Contains("FuncMemoryLimit", run.Text);
    }

    /// <summary>
    /// As root, the kernel holds the limits (cgroups): a child that takes 1.5 times the memory limit for
    /// a moment, too briefly for the census, is stopped, and a run cannot have more than
    /// <c>WorkerPidsLimit</c> threads and processes (the user's rlimit alone allows 4096).
    /// </summary>
    [Fact]
    public async Task AsRoot_TheKernelHoldsTheLimits_ABriefBurstAndTooManyThreads()
    {
        var (server, token, script) = await StartAsync(null);
        await using var _ = server;

        var burst = await server.PostAsync($"/api/v1/scripts/{script}/run", new { funcName = "burst", kwargs = new { mb = 1536 } }, token);
        var threads = (await server.PostAsync($"/api/v1/scripts/{script}/run", new { funcName = "threads", kwargs = new { count = 1000 } }, token)).AssertOk();

        Assert.Contains("FuncMemoryLimit", burst.Text);
        Assert.InRange(threads.GetProperty("result").GetInt32(), 400, 511);
    }
}
