using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansFunc.Hosting;

namespace OrleansFunc.Engine;

/// <summary>
/// The warm workers of one lane. A run goes to an idle worker, or else (on lanes that allow it) is
/// queued behind a short run of a busy one, or waits; a worker that was killed, broke, or served
/// its quota is replaced in the background once its runs are over. A lane left without any worker
/// because starting one fails answers its runs with that failure (no run waits for a worker that
/// cannot come) and keeps trying to start one.
/// </summary>
public sealed partial class WorkerPool : IAsyncDisposable
{
    /// <summary>A run is queued behind a busy worker only while that worker's current run is younger than this.</summary>
    private static readonly TimeSpan ShortRun = TimeSpan.FromMilliseconds(10);

    private readonly Lane _lane;
    private readonly EngineSettings _settings;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<WorkerProcess, int> _reservations = [];
    private readonly HashSet<WorkerProcess> _retiring = [];
    private readonly LinkedList<TaskCompletionSource<WorkerProcess>> _waiters = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _runsPerWorker;
    private int _disposed;

    /// <summary>Why the last worker start failed while the lane had no worker; null once one starts.</summary>
    private string? _startFailure;

    private readonly WorkerLaunch _launch;
    private readonly ChannelPoller _channels;

    public WorkerPool(Lane lane, WorkerLaunch launch, ChannelPoller channels, ILogger logger)
    {
        _lane = lane;
        _settings = launch.Settings;
        _launch = launch;
        _channels = channels;
        _logger = logger;
        _runsPerWorker = 1 + Math.Max(0, _settings.Lanes[lane].RunsQueuedPerWorker);
    }

    public int Size => _settings.Lanes[_lane].Workers;

    /// <summary>The pool now: size, live and busy workers, and runs waiting for a worker.</summary>
    public Stats.PoolStatus Status
    {
        get
        {
            lock (_gate)
            {
                return new(_lane.ToString().ToLowerInvariant(), Size, _reservations.Count,
                    _reservations.Count(r => r.Value > 0), _waiters.Count);
            }
        }
    }

    /// <summary>Starts every worker of the lane (runs wait for the first one that is ready) and the memory monitor.</summary>
    public Task StartAsync()
    {
        _ = MonitorMemoryAsync();
        return Task.WhenAll(Enumerable.Range(0, Size).Select(_ => AddWorkerAsync()));
    }

    /// <summary>
    /// Every 50 ms, the resident memory of each worker against the limits (one /proc read each);
    /// every second, the processes the workers started (a scan of /proc, too slow for every tick).
    /// </summary>
    private async Task MonitorMemoryAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            for (var tick = 1; await timer.WaitForNextTickAsync(_stopping.Token); tick++)
            {
                var census = tick % 20 == 0 ? new ProcessTree.Snapshot() : null;
                foreach (var worker in Workers())
                {
                    worker.EnforceMemoryLimits(_settings.MemoryLimitMb, _settings.RecycleAboveMb);
                    if (census is not null)
                    {
                        worker.TakeCensus(census, _settings.MemoryLimitMb);
                    }
                    RetireIfDone(worker);
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
        // Most runs have no caller token of their own: the pool's is enough (no linked source per run).
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token) : null;
        var token = linked?.Token ?? _stopping.Token;
        while (true)
        {
            WorkerProcess worker;
            try
            {
                worker = await ReserveAsync(token);
            }
            catch (NoWorkerException none)
            {
                return new WorkerOutcome(null, KillReason.NoWorker, none.Message);
            }
            WorkerOutcome outcome;
            try
            {
                outcome = await worker.RunAsync(requestJson, timeout, answerCallback, token);
            }
            finally
            {
                Release(worker);
            }
            // Queued behind a run that took its worker down: nothing ran, so another worker takes it.
            if (!outcome.NotStarted)
            {
                return outcome;
            }
        }
    }

    /// <summary>Whether the pool should give the worker no more runs.</summary>
    private bool IsDone(WorkerProcess worker) =>
        !worker.IsUsable || worker.RunCount >= _settings.MaxRunsPerWorker || worker.ShouldRecycle || worker.LeftProcessesBehind;

    /// <summary>An idle worker first; else the least loaded one whose current run is still short; else waits.</summary>
    private Task<WorkerProcess> ReserveAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<WorkerProcess> waiter;
        LinkedListNode<TaskCompletionSource<WorkerProcess>> place;
        lock (_gate)
        {
            if (PickWorker() is { } worker)
            {
                _reservations[worker]++;
                return Task.FromResult(worker);
            }
            if (_startFailure is not null && _reservations.Count == 0)
            {
                return Task.FromException<WorkerProcess>(new NoWorkerException(_startFailure));
            }
            waiter = new TaskCompletionSource<WorkerProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
            place = _waiters.AddLast(waiter);
        }
        return WaitForWorkerAsync(waiter, place, cancellationToken);
    }

    private async Task<WorkerProcess> WaitForWorkerAsync(
        TaskCompletionSource<WorkerProcess> waiter, LinkedListNode<TaskCompletionSource<WorkerProcess>> place, CancellationToken cancellationToken)
    {
        await using var cancellation = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                // Not handed a worker yet (a handed one is off the list): leave the line.
                if (place.List is not null)
                {
                    _waiters.Remove(place);
                    waiter.TrySetCanceled(cancellationToken);
                }
            }
        });
        return await waiter.Task;
    }

    /// <summary>Under the gate.</summary>
    private WorkerProcess? PickWorker()
    {
        WorkerProcess? best = null;
        var bestLoad = int.MaxValue;
        foreach (var (worker, load) in _reservations)
        {
            if (load >= _runsPerWorker || load >= bestLoad || _retiring.Contains(worker) || IsDone(worker))
            {
                continue;
            }
            if (load > 0 && worker.CurrentRunElapsed > ShortRun)
            {
                continue;
            }
            best = worker;
            bestLoad = load;
            if (load == 0)
            {
                break;
            }
        }
        return best;
    }

    /// <summary>Under the gate: hands free places to waiting runs, first come first served.</summary>
    private void ServeWaiters()
    {
        while (_waiters.First is { } first && PickWorker() is { } worker)
        {
            _waiters.RemoveFirst();
            _reservations[worker]++;
            first.Value.TrySetResult(worker);
        }
    }

    private void Release(WorkerProcess worker)
    {
        lock (_gate)
        {
            _reservations[worker]--;
            ServeWaiters();
        }
        RetireIfDone(worker);
    }

    /// <summary>A worker that takes no more runs is replaced once its last run is over.</summary>
    private void RetireIfDone(WorkerProcess worker)
    {
        lock (_gate)
        {
            if (!IsDone(worker) || !_reservations.TryGetValue(worker, out var load) || load > 0 || !_retiring.Add(worker))
            {
                return;
            }
        }
        // Off the caller's thread, which may be the one reading every worker channel: killing a
        // worker and starting one take a few milliseconds of system calls.
        _ = Task.Run(() => RetireAsync(worker));
        _ = Task.Run(AddWorkerAsync);
    }

    private WorkerProcess[] Workers()
    {
        lock (_gate)
        {
            return [.. _reservations.Keys];
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
        var workers = Workers();
        await Task.WhenAll(workers.Select(w => w.DisposeAsync().AsTask()));
        lock (_gate)
        {
            _reservations.Clear();
        }
        _stopping.Dispose();
    }

    private async Task RetireAsync(WorkerProcess worker)
    {
        await worker.DisposeAsync();
        lock (_gate)
        {
            _reservations.Remove(worker);
            _retiring.Remove(worker);
        }
    }

    /// <summary>Starts one worker, retrying until it comes up or the pool stops.</summary>
    private async Task AddWorkerAsync()
    {
        for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                var worker = await WorkerProcess.StartAsync(_launch, _channels, _logger, _stopping.Token);
                lock (_gate)
                {
                    _reservations[worker] = 0;
                    _startFailure = null;
                    ServeWaiters();
                }
                if (_stopping.IsCancellationRequested)
                {
                    await RetireAsync(worker);
                    return;
                }
                // A worker that dies while idle is replaced at once, not at its next run.
                _ = worker.Ended.ContinueWith(_ => RetireIfDone(worker), TaskScheduler.Default);
                return;
            }
            catch (Exception failure) when (!_stopping.IsCancellationRequested)
            {
                LogStartFailed(_logger, failure, _lane, attempt);
                FailWaitersIfNoWorker($"the {_lane.ToString().ToLowerInvariant()} lane has no worker, and starting one failed: {failure.Message}");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>With no worker alive, the runs waiting for one get the start failure instead, and so do new runs until a worker starts.</summary>
    private void FailWaitersIfNoWorker(string failure)
    {
        lock (_gate)
        {
            if (_reservations.Count > 0)
            {
                return;
            }
            _startFailure = failure;
            while (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                first.Value.TrySetException(new NoWorkerException(failure));
            }
        }
    }

    private sealed class NoWorkerException(string message) : Exception(message);

    [LoggerMessage(Level = LogLevel.Error, Message = "A Python worker of lane {Lane} failed to start (attempt {Attempt})")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, Lane lane, int attempt);
}
