using OrleansFunc.Engine;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// A fork bomb ends in a clear error for its call and a fresh worker, with every process it made
/// gone. Its own engine has a low process limit and an OS user of its own: RLIMIT_NPROC counts
/// every process and thread of the user, so with the shared worker user the other tests' workers
/// could fill the 64 places before the bomb forks once (then it only loops until its time limit).
/// </summary>
public sealed class ForkBombTests
{
    private const string Code =
        "import os\n\n" +
        "def bomb():\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n\n" +
        WorkerProcesses.HomeFunc;

    private static FuncRunRequest Request(string func) =>
        new(Lane.Debug, RunMode.Run, "bomb__test", Code, "bomb-md5", func, "{}", 2, TestEngines.NoContext);

    [Fact]
    public async Task ForkBomb_EndsClearly_WithAFreshWorker_AndNoProcessLeft()
    {
        await using var engine = await TestEngines.StartAsync("fork-bomb", options =>
        {
            options.Engine.WorkerProcessLimit = 64;
            options.Engine.WorkerOsUser = "orleansfunc-forkbomb";
            options.Engine.HardKillGrace = TimeSpan.FromSeconds(1);
            options.Engine.Lanes[Lane.Debug].DefaultTimeoutSeconds = 2;
        });
        var bomberHome = (await engine.RunAsync(Request("home"), TestEngines.NoCallbacks)).ResultJson!;
        var bomber = WorkerProcesses.HostPid(System.Text.Json.JsonSerializer.Deserialize<string>(bomberHome)!)!.Value;
        // The process limit binds only an unprivileged user: root would fork without end.
        Assert.NotEqual("0", RealUserId(bomber));

        var bomb = await engine.RunAsync(Request("bomb"), TestEngines.NoCallbacks);

        Assert.Equal(FuncRunStatus.Timeout, bomb.Status);
        Assert.Contains("time limit", bomb.Error!.Message);
        var next = (await engine.RunAsync(Request("home"), TestEngines.NoCallbacks)).ResultJson!;
        Assert.NotEqual(bomberHome, next);
        await Eventually.HoldsAsync("every process of the bomb to be gone", () => ProcessesInGroup(bomber) == 0);
    }

    /// <summary>The real user ID of a process (the first field of Uid: in /proc/PID/status).</summary>
    private static string RealUserId(int process) =>
        File.ReadLines($"/proc/{process}/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];

    /// <summary>
    /// Live processes whose process group is <paramref name="group"/> (fields 3 and 5 of /proc/PID/stat);
    /// zombies are left to whoever reaps orphans here.
    /// </summary>
    private static int ProcessesInGroup(int group) =>
        Directory.EnumerateDirectories("/proc").Count(folder =>
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields[2] == group.ToString() && fields[0] != "Z";
            }
            catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        });
}
