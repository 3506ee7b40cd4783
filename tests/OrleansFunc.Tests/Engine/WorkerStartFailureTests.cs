using System.Diagnostics;
using OrleansFunc.Engine;
using OrleansFunc.Hosting;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// A lane whose workers cannot start answers its runs with the reason instead of keeping them
/// waiting, and serves again once the cause is mended (the pool keeps trying).
/// </summary>
public sealed class WorkerStartFailureTests
{
    private const string Code = "def hello():\n    return 'hi'\n";

    private static Task<FuncRunResult> Run(PythonEngine engine) =>
        engine.RunAsync(new FuncRunRequest(Lane.Sync, RunMode.Run, "start__test", Code, "start-md5", "hello", "{}", 30,
            TestEngines.NoContext), TestEngines.NoCallbacks);

    [Fact]
    public async Task AMissingWorkerProgram_FailsRunsWithTheReason_InsteadOfWaiting()
    {
        await using var engine = await TestEngines.StartAsync("start-missing", options =>
            options.Engine.WorkerPath = "/nonexistent/orleansfunc/PythonWorker.dll");

        var first = await Run(engine).WaitAsync(TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        var second = await Run(engine).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("WorkerUnavailable", first.Error?.Type);
        Assert.Contains("sync lane has no worker", first.Error!.Message);
        Assert.Contains("The worker program /nonexistent/orleansfunc/PythonWorker.dll does not exist", first.Error.Message);
        Assert.Equal(FuncRunStatus.Failure, first.Status);
        // Not after another start attempt: the lane is known to have no worker.
        Assert.Equal("WorkerUnavailable", second.Error?.Type);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the second run took {clock.Elapsed}");
    }

    [Fact]
    public async Task ALaneThatCouldNotStart_ServesOnceTheCauseIsMended()
    {
        var realLibrary = "";
        OrleansFuncOptions settings = null!;
        await using var engine = await TestEngines.StartAsync("start-mended", options =>
        {
            settings = options;
            realLibrary = options.Engine.PythonLibrary;
            options.Engine.PythonLibrary = "/nonexistent/libpython3.11.so.1.0";
        });

        var broken = await Run(engine).WaitAsync(TimeSpan.FromSeconds(30));
        settings.Engine.PythonLibrary = realLibrary;
        // The pool retries the start with a growing pause; the next start finds the library.
        var mended = await Eventually.ValueAsync("a worker to start with the real library", () => Run(engine).WaitAsync(TimeSpan.FromSeconds(30)),
            run => run.IsSuccess, TimeSpan.FromSeconds(40), TimeSpan.FromMilliseconds(200));

        Assert.True(broken.Error?.Message.Contains("/nonexistent/libpython3.11.so.1.0"), broken.Error?.Message);
        Assert.Equal("WorkerUnavailable", broken.Error?.Type);
        Assert.Contains("exited with code 1 before it was ready", broken.Error!.Message);
        Assert.Contains("libpython3.11.so.1.0", broken.Error.Message);
        Assert.True(mended.IsSuccess, mended.Error?.Message);
        Assert.Equal("\"hi\"", mended.ResultJson);
    }
}
