using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFunc.Engine;
using OrleansFunc.Hosting;

// Hello-world runs per second through the engine's pool, straight from C# (no HTTP, no grains),
// with 1 and then 2 workers.
// Usage: dotnet run -c Release --project bench/engine [seconds] [callers per worker] [plain|api] [sandbox|nosandbox] [sets] [scriptset|shared]
// ("api": hello exported with @DFF.API, as DataFlux Func scripts are written; "nosandbox": workers
// without bubblewrap, to measure what the default sandbox costs; "sets": the callers' runs spread
// over that many script sets, caller i calling set i mod sets; "shared": Engine:RunIsolation=None,
// to measure what keeping each worker to one set costs).
var seconds = args.Length > 0 ? int.Parse(args[0]) : 10;
// Four callers fill a worker: the run it is on and the 3 the sync lane queues ahead of it.
var callersPerWorker = args.Length > 1 ? int.Parse(args[1]) : 4;
var decorated = args.Length > 2 && args[2] == "api";
var sandbox = args.Length > 3 && args[3] == "nosandbox" ? WorkerSandbox.None : WorkerSandbox.Bubblewrap;
var sets = args.Length > 4 ? int.Parse(args[4]) : 1;
var isolation = args.Length > 5 && args[5] == "shared" ? RunIsolation.None : RunIsolation.ScriptSet;
var code = (decorated ? "@DFF.API('Hello', category='demo', tags=['bench'])\n" : "") + "def hello(name='world'):\n    return {'hello': name}\n";

var dataFolder = Directory.CreateTempSubdirectory("orleansfunc-bench-engine-").FullName;
File.SetUnixFileMode(dataFolder, (UnixFileMode)0b111_101_101);
foreach (var workers in new[] { 1, 2 })
{
    var options = new OrleansFuncOptions { DataFolder = dataFolder };
    // A worker is replaced after 100,000 runs by default: one worker reaches that within a few
    // seconds here, and the replacement's start would land inside the short measuring window.
    options.Engine.MaxRunsPerWorker = 10_000_000;
    options.Engine.Sandbox = sandbox;
    options.Engine.AcceptUnisolatedWorkers = sandbox == WorkerSandbox.None;
    options.Engine.RunIsolation = isolation;
    // The sync lane's defaults: a few runs queued ahead per worker.
    options.Engine.Lanes[Lane.Sync] = new LaneSettings { Workers = workers, DefaultTimeoutSeconds = 30, RunsQueuedPerWorker = 3 };
    foreach (var lane in new[] { Lane.Debug, Lane.Cron, Lane.Batch })
    {
        options.Engine.Lanes[lane] = new LaneSettings { Workers = 1, DefaultTimeoutSeconds = 30 };
    }
    await using var engine = new PythonEngine(options, NullLoggerFactory.Instance);
    await engine.StartAsync(CancellationToken.None);
    var request = new FuncRunRequest(Lane.Sync, RunMode.Run, "bench0__hello", code, decorated ? "md5-of-api-hello" : "md5-of-hello", "hello", "{\"name\": \"bench\"}", 30,
        new RunContext(TaskOrigin.Direct, "bench"));
    var requests = Enumerable.Range(0, sets).Select(set => request with { ScriptId = $"bench{set}__hello" }).ToArray();
    var noCallbacks = new NoRunCallbacks();

    // Warm-up: every worker up and every code path jitted.
    for (var i = 0; i < 2000; i++)
    {
        var warm = await engine.RunAsync(requests[0], noCallbacks);
        if (!warm.IsSuccess)
        {
            throw new InvalidOperationException($"warm-up run failed: {warm.Error}");
        }
    }

    var latencies = new List<double>[workers * callersPerWorker];
    double pythonSeconds = 0;
    var stop = Stopwatch.StartNew();
    var callers = Enumerable.Range(0, workers * callersPerWorker).Select(async caller =>
    {
        var mine = latencies[caller] = new List<double>(1 << 20);
        var callerRequest = requests[caller % sets];
        while (stop.Elapsed.TotalSeconds < seconds)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await engine.RunAsync(callerRequest, noCallbacks);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            pythonSeconds += result.Cost;
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"run failed: {result.Error}");
            }
        }
    }).ToList();
    await Task.WhenAll(callers);
    var elapsed = stop.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToList();
    Console.WriteLine($"{(decorated ? "api " : "")}sandbox={sandbox} isolation={isolation} sets={sets} workers={workers} callers={workers * callersPerWorker} runs={all.Count} runs/s={all.Count / elapsed:F0} " +
                      $"p50={all[all.Count / 2]:F3}ms p99={all[(int)(all.Count * 0.99)]:F3}ms " +
                      $"(inside Python: {pythonSeconds / all.Count * 1e6:F0} us a run)");

    // Recovery: kill a worker by a crash and time until the lane serves again.
    var crash = request with { Code = "import os\ndef hello(name=''):\n    os._exit(1)\n", CodeMD5 = "crash" };
    await engine.RunAsync(crash, noCallbacks);
    var recovery = Stopwatch.StartNew();
    for (var served = 0; served < workers;)
    {
        served += (await engine.RunAsync(request, noCallbacks)).IsSuccess ? 1 : 0;
    }
    Console.WriteLine($"workers={workers} served again {recovery.Elapsed.TotalMilliseconds:F0} ms after a worker crash");
}

Directory.Delete(dataFolder, recursive: true);

/// <summary>The hello func asks the cluster nothing.</summary>
internal sealed class NoRunCallbacks : IRunCallbacks
{
    public Task<string> AnswerAsync(string name, System.Text.Json.JsonElement args) => throw new InvalidOperationException(name);
}
