using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansFunc.Hosting;

namespace OrleansFunc.Engine;

/// <summary>
/// The warm workers of one lane. A run goes to an idle worker, or else (on lanes that allow it) is
/// queued behind a short run of a busy one, or waits; a worker that was killed or broke is replaced
/// in the background once its runs are over, and one that served its quota or grew past the memory
/// threshold serves on until its successor is ready. A lane left without any worker
/// because starting one fails answers its runs with that failure (no run waits for a worker that
/// cannot come) and keeps trying to start one.
/// <para>
/// Under <see cref="RunIsolation.ScriptSet"/>, a worker belongs to the script set of its first run
/// and takes runs of that set only (runs that execute no script, such as data source checks, go to
/// any worker): whatever a script changes in its interpreter, only its own set's later runs see.
/// A run whose set has no worker and cannot get one waits while an idle worker of another set is
/// replaced by a fresh one, as cloud function platforms reuse an environment for one function only.
/// </para>
/// </summary>
public sealed partial class WorkerPool : IAsyncDisposable
{
    /// <summary>A run is queued behind a busy worker only while that worker's current run is younger than this.</summary>
    private static readonly TimeSpan ShortRun = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// A set that has a worker, busy now, takes another set's worker only once that one has been idle
    /// this long: a moment's wait must not swap workers between two sets that both have steady work.
    /// </summary>
    private static readonly TimeSpan IdleBeforeEviction = TimeSpan.FromSeconds(1);

    /// <summary>The pool's name in statuses, metrics and logs: a lane's wire name, or a named pool's own.</summary>
    private readonly string _name;
    private readonly LaneSettings _size;
    private readonly EngineSettings _settings;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<WorkerProcess, int> _reservations = [];
    private readonly HashSet<WorkerProcess> _retiring = [];
    private readonly LinkedList<Waiter> _waiters = new();

    /// <summary>How many distinct script sets the waiting runs are of: a pass over the line stops once each is blocked.</summary>
    private readonly Dictionary<string, int> _waitingSets = [];
    /// <summary>A pass over the line's sets whose first waiter found no worker (kept across passes: one per call under load).</summary>
    private readonly HashSet<string> _blockedSets = [];

    /// <summary>The script set each worker belongs to (absent: a fresh worker that ran no script yet).</summary>
    private readonly Dictionary<WorkerProcess, string> _owners = [];

    /// <summary>Workers given up so that a waiting run of another set gets a fresh one.</summary>
    private readonly HashSet<WorkerProcess> _evicted = [];

    /// <summary>When each worker last finished a run: the longest idle is evicted first.</summary>
    private readonly Dictionary<WorkerProcess, long> _lastUsed = [];

    /// <summary>
    /// Workers due for replacement that still work (their run quota served, or over the memory threshold): each serves on
    /// while its successor starts, and is done once the successor is ready (true), so the lane never stands without one.
    /// </summary>
    private readonly Dictionary<WorkerProcess, bool> _handovers = [];

    /// <summary>Workers being started (each comes fresh, without a set).</summary>
    private int _starting;

    /// <summary>Workers with a run now: never more than <see cref="Size"/>, however many are warm.</summary>
    private int _busy;
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _runsPerWorker;
    private int _disposed;

    /// <summary>Why the last worker start failed while the lane had no worker; null once one starts.</summary>
    private string? _startFailure;

    private readonly WorkerLaunch _launch;
    private readonly ChannelPoller _channels;

    private readonly Telemetry.WorkerMetrics? _metrics;

    public WorkerPool(Lane lane, WorkerLaunch launch, ChannelPoller channels, ILogger logger, Telemetry.WorkerMetrics? metrics = null)
        : this(lane.WireName(), launch.Settings.Lanes[lane], launch, channels, logger, metrics)
    {
    }

    /// <summary>A named pool (<see cref="PoolSettings"/>) or a lane's, sized by <paramref name="size"/>.</summary>
    public WorkerPool(string name, LaneSettings size, WorkerLaunch launch, ChannelPoller channels, ILogger logger, Telemetry.WorkerMetrics? metrics = null)
    {
        _metrics = metrics;
        _name = name;
        _size = size;
        _settings = launch.Settings;
        _launch = launch;
        _channels = channels;
        _logger = logger;
        _runsPerWorker = 1 + Math.Max(0, size.RunsQueuedPerWorker);
    }

    /// <summary>Runs the lane runs at once (its workers with a run).</summary>
    public int Size => _size.Workers;

    /// <summary>
    /// Worker processes the lane keeps: under <see cref="RunIsolation.ScriptSet"/>, up to
    /// <see cref="LaneSettings.WarmWorkers"/> beyond <see cref="Size"/>, started as other sets need
    /// them, so that sets taking turns each find a warm worker of their own.
    /// </summary>
    private int MaxProcesses => Size + (_settings.RunIsolation == RunIsolation.ScriptSet ? Math.Max(0, _size.WarmWorkers) : 0);

    /// <summary>The pool now: size, live and busy workers, and runs waiting for a worker.</summary>
    public Stats.PoolStatus Status
    {
        get
        {
            lock (_gate)
            {
                return new(_name, Size, _reservations.Count,
                    _reservations.Count(r => r.Value > 0), _waiters.Count);
            }
        }
    }

    /// <summary>Starts every worker of the lane (runs wait for the first one that is ready) and the memory monitor.</summary>
    public Task StartAsync()
    {
        _ = MonitorMemoryAsync();
        lock (_gate)
        {
            _starting += Size;
        }
        return Task.WhenAll(Enumerable.Range(0, Size).Select(_ => StartWorkerAsync()));
    }

    /// <summary>How often the monitor looks while the pool has a run or a waiting one, and while it has none.</summary>
    private static readonly TimeSpan BusyTick = TimeSpan.FromMilliseconds(50), IdleTick = TimeSpan.FromSeconds(1);

    /// <summary>The monitor's timer; null before the pool starts and once it stopped. Its period changed under the gate.</summary>
    private PeriodicTimer? _monitor;

    /// <summary>
    /// Every 50 ms while the pool has a run or a waiting one (every second while it has none: each tick wakes a thread,
    /// which then spins for work, the most of an idle server's CPU), the resident memory of each worker against the limits
    /// (one /proc read each); every second, the processes the workers started (a scan of /proc, too slow for every tick).
    /// </summary>
    private async Task MonitorMemoryAsync()
    {
        using var timer = new PeriodicTimer(BusyTick);
        lock (_gate)
        {
            _monitor = timer;
        }
        var lastCensus = Environment.TickCount64;
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                var now = Environment.TickCount64;
                var census = now - lastCensus >= 1000 ? ProcessTree.Snapshot.Recent() : null;
                lastCensus = census is null ? lastCensus : now;
                // A waiting run may now take a worker that has been idle long enough.
                List<WorkerProcess> evicted;
                lock (_gate)
                {
                    evicted = ServeWaiters();
                    var period = _busy == 0 && _waiters.Count == 0 ? IdleTick : BusyTick;
                    if (timer.Period != period)
                    {
                        timer.Period = period;
                    }
                }
                RetireAndStart(evicted);
                foreach (var worker in Workers())
                {
                    worker.EnforceMemoryLimits(_settings.MemoryLimitMb, _settings.RecycleAboveMb);
                    if (census is not null)
                    {
                        worker.TakeCensus(census, _settings.MemoryLimitMb);
                    }
                    RetireIfDone(worker);
                    HandOverIfDue(worker);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the pool stopped
        }
        finally
        {
            lock (_gate)
            {
                _monitor = null;
            }
        }
    }

    /// <param name="scriptSet">The script set whose code the run executes, or null for a run that executes no script.</param>
    /// <param name="waitForWorker">False: null at once when no worker may take the run now, instead of a place in the line.</param>
    public async Task<WorkerOutcome?> RunAsync(
        ReadOnlyMemory<byte> requestFrame, string? scriptSet, TimeSpan timeout, IRunCallbacks callbacks, CancellationToken cancellationToken,
        bool waitForWorker = true)
    {
        // Most runs have no caller token of their own: the pool's is enough (no linked source per run).
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token) : null;
        var token = linked?.Token ?? _stopping.Token;
        while (true)
        {
            WorkerProcess? worker;
            try
            {
                worker = await ReserveAsync(_settings.RunIsolation == RunIsolation.ScriptSet ? scriptSet : null, waitForWorker, token);
            }
            catch (NoWorkerException none)
            {
                return new WorkerOutcome(null, KillReason.NoWorker, none.Message);
            }
            if (worker is null)
            {
                return null;
            }
            WorkerOutcome outcome;
            try
            {
                outcome = await worker.RunAsync(requestFrame, timeout, callbacks, token);
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

    /// <summary>Whether a run of <paramref name="scriptSet"/> would find an idle worker now (a hint: another run may take it first).</summary>
    public bool HasIdleWorker(string? scriptSet)
    {
        lock (_gate)
        {
            return PickWorker(_settings.RunIsolation == RunIsolation.ScriptSet ? scriptSet : null, idleOnly: true) is not null;
        }
    }

    /// <summary>Why a worker that still works is given no more runs (see <see cref="IsDone"/>).</summary>
    private WorkerRetirement RetirementOf(WorkerProcess worker) =>
        worker.RunCount >= worker.RunQuota ? WorkerRetirement.RunQuota
        : worker.ShouldRecycle ? WorkerRetirement.MemoryRecycle
        : worker.LeftProcessesBehind ? WorkerRetirement.LeftProcesses
        : worker.PackageGeneration != _launch.CurrentPackages.Generation ? WorkerRetirement.PackagesChanged
        : WorkerRetirement.Evicted;

    /// <summary>Whether the pool should give the worker no more runs.</summary>
    private bool IsDone(WorkerProcess worker) =>
        !worker.IsUsable || _handovers.GetValueOrDefault(worker) || worker.LeftProcessesBehind ||
        worker.PackageGeneration != _launch.CurrentPackages.Generation || _evicted.Contains(worker);

    /// <summary>Whether a worker that still works should make way for a fresh one, once that one is ready.</summary>
    private static bool DueForSuccessor(WorkerProcess worker) => worker.IsUsable && (worker.RunCount >= worker.RunQuota || worker.ShouldRecycle);

    /// <summary>An idle worker first; else the least loaded one whose current run is still short; else waits (or null, when told not to).</summary>
    private Task<WorkerProcess?> ReserveAsync(string? scriptSet, bool waitForWorker, CancellationToken cancellationToken)
    {
        Waiter waiter;
        LinkedListNode<Waiter> place;
        List<WorkerProcess> evicted;
        lock (_gate)
        {
            // A caller that would rather go elsewhere takes only an idle worker, not a place behind a short run.
            if (PickWorker(scriptSet, idleOnly: !waitForWorker) is { } worker)
            {
                Reserve(worker, scriptSet);
                return Task.FromResult<WorkerProcess?>(worker);
            }
            if (_startFailure is not null && _reservations.Count == 0)
            {
                return Task.FromException<WorkerProcess?>(new NoWorkerException(_startFailure));
            }
            if (!waitForWorker)
            {
                return Task.FromResult<WorkerProcess?>(null);
            }
            waiter = new Waiter(scriptSet);
            place = _waiters.AddLast(waiter);
            CountWaiting(scriptSet, +1);
            WatchClosely();
            evicted = ServeWaiters();
        }
        RetireAndStart(evicted);
        return WaitForWorkerAsync(waiter.Worker, place, cancellationToken)!;
    }

    private async Task<WorkerProcess?> WaitForWorkerAsync(
        TaskCompletionSource<WorkerProcess> waiter, LinkedListNode<Waiter> place, CancellationToken cancellationToken)
    {
        await using var cancellation = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                // Not handed a worker yet (a handed one is off the list): leave the line.
                if (place.List is not null)
                {
                    _waiters.Remove(place);
                    CountWaiting(place.Value.ScriptSet, -1);
                    waiter.TrySetCanceled(cancellationToken);
                }
            }
        });
        return await waiter.Task;
    }

    /// <summary>Under the gate: a worker of the run's set (or a fresh one, or any for a run of no set).</summary>
    private WorkerProcess? PickWorker(string? scriptSet, bool idleOnly = false)
    {
        WorkerProcess? best = null;
        var bestLoad = int.MaxValue;
        foreach (var (worker, load) in _reservations)
        {
            if (load >= _runsPerWorker || load >= bestLoad || idleOnly && load > 0 || _retiring.Contains(worker) || IsDone(worker) || !MayRun(worker, scriptSet))
            {
                continue;
            }
            if (load > 0 && worker.CurrentRunElapsed > ShortRun || load == 0 && _busy >= Size)
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

    /// <summary>Under the gate: a run started or waits, so the monitor ticks at <see cref="BusyTick"/> from now.</summary>
    private void WatchClosely()
    {
        if (_monitor is { Period: var period } monitor && period != BusyTick)
        {
            monitor.Period = BusyTick;
        }
    }

    /// <summary>Under the gate.</summary>
    private bool MayRun(WorkerProcess worker, string? scriptSet) =>
        scriptSet is null || !_owners.TryGetValue(worker, out var owner) || owner == scriptSet;

    /// <summary>Under the gate: the worker takes the run, and belongs to its set from now on.</summary>
    private void Reserve(WorkerProcess worker, string? scriptSet)
    {
        if (_reservations[worker]++ == 0)
        {
            _busy++;
            WatchClosely();
        }
        if (scriptSet is not null)
        {
            _owners.TryAdd(worker, scriptSet);
        }
    }

    /// <summary>
    /// Under the gate: hands free places to waiting runs, first come first served. A waiting run
    /// that no worker may take, and that no worker being started (or evicted) will serve, gets a
    /// new warm worker if its set has none and the lane may keep another process
    /// (<see cref="MaxProcesses"/>; it runs once the lane has room for another run); else a worker
    /// of another set is evicted. For a set without any worker: an idle one (the longest idle) if
    /// any, else the least busy, which takes no more runs and is replaced when its runs are over.
    /// For a set whose workers are busy: only one idle for <see cref="IdleBeforeEviction"/>, and
    /// only while the lane has room for another run. Returns the evicted workers; the caller
    /// retires the idle ones, and starts the new ones, off the gate.
    /// </summary>
    private List<WorkerProcess> ServeWaiters()
    {
        if (_waiters.Count == 0)
        {
            return NoWorkers;
        }
        List<WorkerProcess>? evicted = null;
        var coming = -1;
        // Sets whose first waiter found no worker this pass: their later waiters would find none either.
        var blocked = _blockedSets;
        blocked.Clear();
        for (var place = _waiters.First; place is not null;)
        {
            var next = place.Next;
            var waiter = place.Value;
            var set = waiter.ScriptSet;
            if (set is not null && blocked.Contains(set))
            {
                place = next;
                continue;
            }
            if (PickWorker(set) is { } worker)
            {
                _waiters.Remove(place);
                CountWaiting(set, -1);
                Reserve(worker, set);
                waiter.Worker.TrySetResult(worker);
            }
            else if (set is null)
            {
                // Not one worker has room: no waiter behind gets one either.
                break;
            }
            else
            {
                // One step per set and pass: its later waiters wait for what this one gets.
                blocked.Add(set);
                var lastSet = blocked.Count == _waitingSets.Count;
                if (OnlyWorkersOf(set))
                {
                    // Nothing to start or evict for it (the usual case of a lane busy with one set).
                    if (lastSet)
                    {
                        break;
                    }
                    place = next;
                    continue;
                }
                if (coming < 0)
                {
                    coming = _starting + _evicted.Count(w => !_retiring.Contains(w));
                }
                var hasWorker = HasWorkerFor(set);
                if (coming > 0)
                {
                    coming--;
                }
                else if (!hasWorker && _reservations.Count - _retiring.Count + _starting < MaxProcesses)
                {
                    _starting++;
                    Interlocked.Increment(ref _toStart);
                }
                // A set with a worker of its own gains nothing from another's while the lane is full:
                // its run waits for room either way.
                else if ((!hasWorker || _busy < Size) && WorkerToEvict(set, onlyLongIdle: hasWorker) is { } victim)
                {
                    _evicted.Add(victim);
                    (evicted ??= []).Add(victim);
                }
                if (lastSet)
                {
                    break;
                }
            }
            place = next;
        }
        return evicted ?? NoWorkers;
    }

    /// <summary>Under the gate.</summary>
    private void CountWaiting(string? scriptSet, int change)
    {
        if (scriptSet is null)
        {
            return;
        }
        var count = _waitingSets.GetValueOrDefault(scriptSet) + change;
        if (count > 0)
        {
            _waitingSets[scriptSet] = count;
        }
        else
        {
            _waitingSets.Remove(scriptSet);
        }
    }

    /// <summary>Under the gate: whether every worker of the lane, live or coming, may run the set's runs.</summary>
    private bool OnlyWorkersOf(string scriptSet)
    {
        foreach (var worker in _reservations.Keys)
        {
            if (!MayRun(worker, scriptSet) && !_retiring.Contains(worker))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Under the gate: whether a worker of the set (or a fresh one) will take its runs when free.</summary>
    private bool HasWorkerFor(string scriptSet) =>
        _reservations.Keys.Any(w => !_retiring.Contains(w) && !IsDone(w) && MayRun(w, scriptSet));

    /// <summary>Under the gate.</summary>
    private WorkerProcess? WorkerToEvict(string scriptSet, bool onlyLongIdle) =>
        _reservations
            .Where(r => !_retiring.Contains(r.Key) && !IsDone(r.Key) && !MayRun(r.Key, scriptSet))
            .Where(r => !onlyLongIdle || r.Value == 0 &&
                        Environment.TickCount64 - _lastUsed.GetValueOrDefault(r.Key) >= IdleBeforeEviction.TotalMilliseconds)
            .OrderBy(r => r.Value)
            .ThenBy(r => r.Value == 0 ? _lastUsed.GetValueOrDefault(r.Key) : r.Key.CurrentRunElapsed.Ticks)
            .Select(r => r.Key)
            .FirstOrDefault();

    private static readonly List<WorkerProcess> NoWorkers = [];

    /// <summary>Warm workers <see cref="ServeWaiters"/> decided to add (counted in <see cref="_starting"/>), started by <see cref="RetireAndStart"/>.</summary>
    private int _toStart;

    /// <summary>
    /// Off the gate: evicted workers that are idle now are replaced now (busy ones when their runs
    /// end, <see cref="Release"/>), and the warm workers decided on are started.
    /// </summary>
    private void RetireAndStart(List<WorkerProcess> evicted)
    {
        foreach (var worker in evicted)
        {
            RetireIfDone(worker);
        }
        for (var starts = Interlocked.Exchange(ref _toStart, 0); starts > 0; starts--)
        {
            _ = Task.Run(() => StartWorkerAsync());
        }
    }

    private void Release(WorkerProcess worker)
    {
        List<WorkerProcess> evicted;
        lock (_gate)
        {
            if (--_reservations[worker] == 0)
            {
                _busy--;
            }
            _lastUsed[worker] = Environment.TickCount64;
            evicted = ServeWaiters();
        }
        RetireAndStart(evicted);
        RetireIfDone(worker);
        HandOverIfDue(worker);
    }

    /// <summary>A worker that takes no more runs is replaced once its last run is over (unless its successor is already on its way).</summary>
    private void RetireIfDone(WorkerProcess worker)
    {
        bool succeeded;
        lock (_gate)
        {
            if (!IsDone(worker) || !_reservations.TryGetValue(worker, out var load) || load > 0 || !_retiring.Add(worker))
            {
                return;
            }
            succeeded = _handovers.ContainsKey(worker);
            if (!succeeded)
            {
                _starting++;
            }
            _metrics?.RecordEnd(_name, worker.EndedBy?.ToString() ?? RetirementOf(worker).ToString());
        }
        // Off the caller's thread, which may be the one reading every worker channel: killing a
        // worker and starting one take a few milliseconds of system calls.
        _ = Task.Run(() => RetireAsync(worker));
        if (!succeeded)
        {
            _ = Task.Run(() => StartWorkerAsync());
        }
    }

    /// <summary>Starts the successor of a worker <see cref="DueForSuccessor"/>, which serves on until the successor is ready.</summary>
    private void HandOverIfDue(WorkerProcess worker)
    {
        string? owner;
        lock (_gate)
        {
            if (!DueForSuccessor(worker) || IsDone(worker) || !_reservations.ContainsKey(worker) || _retiring.Contains(worker) ||
                !_handovers.TryAdd(worker, false))
            {
                return;
            }
            _starting++;
            // The successor takes over the worker's script set, as the worker's runs would have gone on there.
            _owners.TryGetValue(worker, out owner);
        }
        _ = Task.Run(() => StartWorkerAsync(predecessor: worker, owner));
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
            _owners.Remove(worker);
            _evicted.Remove(worker);
            _lastUsed.Remove(worker);
            _handovers.Remove(worker);
        }
    }

    /// <summary>Starts one worker (counted in <see cref="_starting"/> by the caller), retrying until it comes up or the pool stops.</summary>
    /// <param name="predecessor">A worker handing over (<see cref="HandOverIfDue"/>): done once this one is ready, then retired.</param>
    /// <param name="owner">The script set the new worker belongs to from the start (the predecessor's), or null for a fresh one.</param>
    private async Task StartWorkerAsync(WorkerProcess? predecessor = null, string? owner = null)
    {
        try
        {
            await AddWorkerAsync(owner);
        }
        finally
        {
            List<WorkerProcess> evicted;
            lock (_gate)
            {
                _starting--;
                if (predecessor is not null && _handovers.ContainsKey(predecessor))
                {
                    _handovers[predecessor] = true;
                }
                evicted = ServeWaiters();
            }
            RetireAndStart(evicted);
            if (predecessor is not null)
            {
                RetireIfDone(predecessor);
            }
        }
    }

    /// <param name="owner">The script set the new worker belongs to from the start (a successor's), or null for a fresh one.</param>
    private async Task AddWorkerAsync(string? owner = null)
    {
        for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                var worker = await WorkerProcess.StartAsync(_launch, _channels, _logger, _stopping.Token);
                lock (_gate)
                {
                    _reservations[worker] = 0;
                    if (owner is not null)
                    {
                        _owners[worker] = owner;
                    }
                    _startFailure = null;
                }
                _metrics?.RecordStart(_name);
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
                LogStartFailed(_logger, failure, _name, attempt);
                _metrics?.RecordStartFailure(_name);
                FailWaitersIfNoWorker($"the {_name} lane has no worker, and starting one failed: {failure.Message}");
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
                CountWaiting(first.Value.ScriptSet, -1);
                first.Value.Worker.TrySetException(new NoWorkerException(failure));
            }
        }
    }

    /// <summary>A run waiting for a worker of its set (or any, for a run of no set).</summary>
    private sealed class Waiter(string? scriptSet)
    {
        public string? ScriptSet { get; } = scriptSet;

        public TaskCompletionSource<WorkerProcess> Worker { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class NoWorkerException(string message) : Exception(message);
}
