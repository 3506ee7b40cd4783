using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFunc.Hosting;

namespace OrleansFunc.Engine;

/// <summary>
/// The silo's Python engine: one warm <see cref="WorkerPool"/> per lane, started with the host and
/// stopped with it. Turns a <see cref="FuncRunRequest"/> into a worker request and the worker's
/// answer (or its death) into a <see cref="FuncRunResult"/>.
/// </summary>
public sealed class PythonEngine(OrleansFuncOptions options, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly Dictionary<Lane, WorkerPool> _pools = Enum.GetValues<Lane>()
        .ToDictionary(lane => lane, lane => new WorkerPool(lane, options.Engine, loggers.CreateLogger($"OrleansFunc.Engine.{lane}")));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Warm up in the background: the host need not wait for Python, runs wait for their lane.
        foreach (var pool in _pools.Values)
        {
            _ = pool.StartAsync();
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _pools.Values)
        {
            await pool.DisposeAsync();
        }
    }

    public int LiveWorkers(Lane lane) => _pools[lane].LiveWorkers;

    public async Task<FuncRunResult> RunAsync(
        FuncRunRequest request, Func<string, JsonElement, Task<string>> answerCallback, CancellationToken cancellationToken = default)
    {
        var timeout = TimeSpan.FromSeconds(request.TimeoutSeconds);
        var workerRequest = JsonSerializer.Serialize(new
        {
            mode = request.Mode,
            scriptId = request.ScriptId,
            code = request.Code,
            codeMD5 = request.CodeMD5,
            funcName = request.FuncName,
            kwargs = JsonDocument.Parse(request.KwargsJson).RootElement,
            timeout = request.TimeoutSeconds,
            context = request.Context,
        });
        var outcome = await _pools[request.Lane].RunAsync(workerRequest, timeout, answerCallback, cancellationToken);
        return outcome.ResultJson is { } json ? WorkerResults.Parse(json) : WorkerResults.Killed(request, outcome);
    }
}
