using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansFunc.Hosting;

namespace OrleansFunc.Engine;

/// <summary>
/// The warm workers of one lane. A run takes an idle worker, or waits for one; a worker that was
/// killed, broke, or served its quota is replaced in the background.
/// </summary>
public sealed partial class WorkerPool : IAsyncDisposable
{
    private readonly Lane _lane;
    private readonly EngineSettings _settings;
    private readonly ILogger _logger;
    private readonly Channel<WorkerProcess> _idle = Channel.CreateUnbounded<WorkerProcess>();
    private readonly ConcurrentDictionary<WorkerProcess, byte> _all = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    private readonly string? _runAsUser;
    private readonly string _resourceFolder;

    public WorkerPool(Lane lane, EngineSettings settings, string resourceFolder, string? runAsUser, ILogger logger)
    {
        _lane = lane;
        _settings = settings;
        _resourceFolder = resourceFolder;
        _runAsUser = runAsUser;
        _logger = logger;
    }

    public int Size => _settings.Lanes[_lane].Workers;

    /// <summary>Workers alive now (idle or busy).</summary>
    public int LiveWorkers => _all.Count;

    private int _busy;
    private int _waiting;

    /// <summary>The pool now: size, live and busy workers, and runs waiting for a worker.</summary>
    public Stats.PoolStatus Status => new(_lane.ToString().ToLowerInvariant(), Size, _all.Count, Volatile.Read(ref _busy), Volatile.Read(ref _waiting));

    /// <summary>Starts every worker of the lane (runs wait for the first one that is ready) and the memory monitor.</summary>
    public Task StartAsync()
    {
        _ = MonitorMemoryAsync();
        return Task.WhenAll(Enumerable.Range(0, Size).Select(_ => AddWorkerAsync()));
    }

    /// <summary>Every 50 ms, the resident memory of each worker against the limits (one /proc read each).</summary>
    private async Task MonitorMemoryAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                foreach (var worker in _all.Keys)
                {
                    worker.EnforceMemoryLimits(_settings.MemoryLimitMb, _settings.RecycleAboveMb);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the pool stopped
        }
    }

    public async Task<WorkerOutcome> RunAsync(
        string requestJson, TimeSpan timeout, Func<string, JsonElement, Task<string>> answerCallback, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        Interlocked.Increment(ref _waiting);
        WorkerProcess worker;
        try
        {
            worker = await _idle.Reader.ReadAsync(linked.Token);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        var returned = false;
        Interlocked.Increment(ref _busy);
        try
        {
            var outcome = await worker.RunAsync(requestJson, timeout, _settings.HardKillGrace, answerCallback, linked.Token);
            if (worker.IsUsable && worker.RunCount < _settings.MaxRunsPerWorker && !worker.ShouldRecycle && !worker.LeftProcessesBehind)
            {
                returned = _idle.Writer.TryWrite(worker);
            }
            return outcome;
        }
        finally
        {
            Interlocked.Decrement(ref _busy);
            if (!returned)
            {
                await RetireAsync(worker);
                _ = AddWorkerAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The host stops the engine, then its container disposes it: the second call has nothing to do.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        _idle.Writer.TryComplete();
        await Task.WhenAll(_all.Keys.Select(w => w.DisposeAsync().AsTask()));
        _all.Clear();
        _stopping.Dispose();
    }

    private async Task RetireAsync(WorkerProcess worker)
    {
        _all.TryRemove(worker, out _);
        await worker.DisposeAsync();
    }

    /// <summary>Starts one worker, retrying until it comes up or the pool stops.</summary>
    private async Task AddWorkerAsync()
    {
        for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                var worker = await WorkerProcess.StartAsync(_settings, _resourceFolder, _runAsUser, _logger, _stopping.Token);
                _all[worker] = 0;
                if (_stopping.IsCancellationRequested || !_idle.Writer.TryWrite(worker))
                {
                    await RetireAsync(worker);
                }
                return;
            }
            catch (Exception failure) when (!_stopping.IsCancellationRequested)
            {
                LogStartFailed(_logger, failure, _lane, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A Python worker of lane {Lane} failed to start (attempt {Attempt})")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, Lane lane, int attempt);
}
