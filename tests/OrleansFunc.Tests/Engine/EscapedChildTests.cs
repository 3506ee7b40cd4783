using System.Diagnostics;
using OrleansFunc.Engine;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// A worker that dies while a process it forked lives on outside its process group (out of reach
/// of the kill, holding the worker's channel and output open) is reported at once, for what it is.
/// </summary>
public sealed class EscapedChildTests
{
    // The child leaves the group (setsid), notes its pid in the shared downloads folder, and sleeps
    // far longer than the run's time limit; the worker exits.
    private const string Code =
        "import os, time\n\n" +
        "def escape():\n    if os.fork() == 0:\n        os.setsid()\n" +
        "        with open(os.path.join(os.environ['DFF_RESOURCE_ROOT'], '.downloads', 'escaped.pid'), 'w') as f:\n" +
        "            f.write(str(os.getpid()))\n" +
        "        time.sleep(120)\n        os._exit(0)\n" +
        "    time.sleep(0.2)\n    os._exit(1)\n\n" +
        "def ok():\n    return 1\n";

    private static FuncRunRequest Request(string func) =>
        new(Lane.Sync, RunMode.Run, "escape__test", Code, "escape-md5", func, "{}", 60, TestEngines.NoContext);

    [Fact]
    public async Task AWorkerThatExits_LeavingAChildOutsideItsGroup_IsReportedAtOnce_AndReplaced()
    {
        string? pidFile = null;
        await using var engine = await TestEngines.StartAsync("escaped-child", options =>
            pidFile = Path.Combine(options.ResourceFolder, ".downloads", "escaped.pid"));
        Assert.Equal("1", (await engine.RunAsync(Request("ok"), TestEngines.NoCallbacks)).ResultJson);
        try
        {
            var clock = Stopwatch.StartNew();
            var escape = await engine.RunAsync(Request("escape"), TestEngines.NoCallbacks);

            // Not when the child ends (120 s) or at the time limit (60 s): when the worker exited.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"reported after {clock.Elapsed}");
            Assert.Equal(KillReason.Crashed, escape.KillReason);
            Assert.Contains("exited with code 1", escape.Error!.Message);
            Assert.Equal("1", (await engine.RunAsync(Request("ok"), TestEngines.NoCallbacks)).ResultJson);
        }
        finally
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile), out var child))
            {
                try
                {
                    Process.GetProcessById(child).Kill();
                }
                catch (ArgumentException)
                {
                    // gone already
                }
            }
        }
    }
}
