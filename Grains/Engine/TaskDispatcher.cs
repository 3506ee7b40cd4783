using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;
using OrleansFunc.Records;

namespace OrleansFunc.Engine;

/// <summary>
/// Runs the persisted queue of asynchronous work on this silo: for each queued lane (batch calls and
/// <c>DFF.FUNC</c> on the batch lane, crontab runs on the cron lane) it claims the oldest waiting tasks,
/// as many at once as <see cref="LanePace"/> allows, under a lease that it renews while they wait and run,
/// runs them, and completes their records (in batches) together with what a failure asks for (<see cref="FailureFollowUps"/>).
/// Tasks of a silo that died are claimed again when their lease runs out.
/// </summary>
public sealed partial class TaskDispatcher(
    TaskRecordStore tasks, FuncInvoker invoker, FuncRunner runner, FailureFollowUps followUps, TaskQueueSignal signal, OrleansFuncOptions options,
    Telemetry.FuncMetrics funcMetrics, Telemetry.QueueMetrics queueMetrics, ILogger<TaskDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private const int CompletionAttempts = 16, FollowUpAttempts = 5;

    /// <summary>The most tasks one claim takes (one round trip).</summary>
    private const int MostClaimed = 256;
    private static readonly Lane[] QueuedLanes = [Lane.Batch, Lane.Cron];
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>The tasks this silo runs now, whose leases it keeps renewing.</summary>
    private readonly ConcurrentDictionary<string, byte> _running = new();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(QueuedLanes.Select(lane => DispatchAsync(lane, stoppingToken)).Append(RenewLeasesAsync(stoppingToken)));

    /// <summary>
    /// Renews the leases of the running tasks every third of a lease, until the silo stops and its last run
    /// has ended (a draining silo keeps its tasks), so a task is claimed again only when its silo is gone.
    /// </summary>
    private async Task RenewLeasesAsync(CancellationToken stoppingToken)
    {
        var lease = options.Engine.TaskLease;
        while (true)
        {
            // Looks every 200 ms whether the silo stopped with nothing left to renew, so a stop is not held up.
            var renewAt = DateTime.UtcNow + lease / 3;
            while (DateTime.UtcNow < renewAt)
            {
                if (stoppingToken.IsCancellationRequested && _running.IsEmpty)
                {
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            }
            if (_running.IsEmpty)
            {
                continue;
            }
            try
            {
                await tasks.RenewLeasesAsync(_owner, _running.Keys.ToList(), lease, CancellationToken.None);
            }
            catch (Exception failure)
            {
                LogRenewFailed(logger, failure, _running.Count);
            }
        }
    }

    /// <summary>A lane's tasks on this silo: how fast its runs go, and the claimed ones that wait for a worker.</summary>
    private sealed class LaneState(Lane lane, int workers, CancellationToken stopping)
    {
        public Lane Lane { get; } = lane;
        public int Workers { get; } = workers;
        public CancellationToken Stopping { get; } = stopping;
        public LanePace Pace { get; } = new(workers);
        public WaitingTasks Waiting { get; } = new();

        /// <summary>Claimed and not ended: running, or waiting for a worker.</summary>
        public int Held;

        /// <summary>Released as each run ends (room for another claim); never disposed, as runs may end after the loop.</summary>
        public SemaphoreSlim Ended { get; } = new(0);

        /// <summary>Guards <see cref="SentHere"/> and <see cref="Asking"/>.</summary>
        public Lock Gate { get; } = new();

        /// <summary>
        /// Tasks sent to this silo's workers whose runs have not returned: never more than <see cref="Workers"/> (the
        /// lane's and the named pools', not told apart: with named pools, a task may wait in a pool's line here).
        /// </summary>
        public int SentHere;

        /// <summary>Whether a waiting task is asking the other silos for a free worker (one at a time).</summary>
        public bool Asking;
    }

    /// <summary>
    /// Keeps the lane's tasks coming: claims as many as <see cref="LanePace"/> says this silo may hold, in one round
    /// trip, and again as runs end. Claimed tasks wait here, oldest first: this silo's workers take one each (so a
    /// task waits behind no run but in its claim order), and meanwhile the oldest asks the other silos for a free worker.
    /// One that waited <see cref="GiveBackAfter"/> (a long run among short ones) goes back to the queue for any silo to
    /// claim, so it never waits behind a long run while another silo's worker is free.
    /// </summary>
    private async Task DispatchAsync(Lane lane, CancellationToken stoppingToken)
    {
        // Tasks of funcs with a queue of their own run in its named pool: those workers take the lane's tasks too.
        var workers = options.Engine.Lanes[lane].Workers + options.Engine.Pools.Values.Sum(pool => pool.Workers);
        var state = new LaneState(lane, workers, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            // A worker elsewhere may have freed up since the oldest waiting task asked.
            Dispatch(state);
            await GiveBackAsync(state, state.Waiting.TakeAllIfAnyWaitedSince(Environment.TickCount64 - (long)GiveBackAfter.TotalMilliseconds));
            var room = Math.Min(state.Pace.Capacity - Volatile.Read(ref state.Held), MostClaimed);
            if (room <= 0)
            {
                await state.Ended.WaitAsync(PollInterval, stoppingToken);
                continue;
            }
            IReadOnlyList<TaskRecord> claimed;
            try
            {
                claimed = await tasks.ClaimAsync(lane, _owner, options.Engine.TaskLease, room, stoppingToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                LogClaimFailed(logger, failure);
                claimed = [];
            }
            if (claimed.Count == 0)
            {
                await signal.WaitAsync(lane, PollInterval, stoppingToken);
                continue;
            }
            foreach (var task in claimed)
            {
                Interlocked.Increment(ref state.Held);
                _running[task.Id] = 0;
                state.Waiting.Add(new WaitingTasks.Waiting(task, Environment.TickCount64));
            }
            Dispatch(state);
        }
        // A stopping silo starts no run: what waits here goes back to the queue for the other silos now, not when its lease ends.
        await GiveBackAsync(state, state.Waiting.TakeAll());
    }

    /// <summary>A claimed task that found no free worker goes back to the queue after waiting this long (claims ahead are 50 ms of runs).</summary>
    private static readonly TimeSpan GiveBackAfter = TimeSpan.FromSeconds(1);

    /// <summary>Sends the oldest waiting tasks to this silo's free workers, and the next one to ask the other silos.</summary>
    private void Dispatch(LaneState state)
    {
        var here = new List<WaitingTasks.Waiting>();
        WaitingTasks.Waiting? asking = null;
        lock (state.Gate)
        {
            while (state.SentHere < state.Workers && state.Waiting.TakeOldest() is { } next)
            {
                state.SentHere++;
                here.Add(next);
            }
            if (!state.Asking && state.Waiting.TakeOldest() is { } oldest)
            {
                state.Asking = true;
                asking = oldest;
            }
        }
        foreach (var task in here)
        {
            _ = RunHereAsync(state, task);
        }
        if (asking is not null)
        {
            _ = AskElsewhereAsync(state, asking);
        }
    }

    private async Task RunHereAsync(LaneState state, WaitingTasks.Waiting waiting)
    {
        // Its worker is free again once the run returns: the next waiting task takes it before this one's record is written.
        if (await RunAsync(state, waiting.Task, RunPlace.InLineHere, WorkerFree))
        {
            Ended(state, waiting.Task);
            return;
        }
        // This silo is stopping.
        lock (state.Gate)
        {
            state.SentHere--;
        }
        NotRun(state, waiting);

        void WorkerFree()
        {
            lock (state.Gate)
            {
                state.SentHere--;
            }
            Dispatch(state);
        }
    }

    private async Task AskElsewhereAsync(LaneState state, WaitingTasks.Waiting waiting)
    {
        if (await runner.HasOtherSilosAsync() && await RunAsync(state, waiting.Task, RunPlace.ElsewhereIfFree, WorkerFree))
        {
            Ended(state, waiting.Task);
            return;
        }
        // No other silo had a free worker: the next run that ends here, or the next turn of the loop, asks again.
        lock (state.Gate)
        {
            state.Asking = false;
        }
        NotRun(state, waiting);

        void WorkerFree()
        {
            lock (state.Gate)
            {
                state.Asking = false;
            }
            Dispatch(state);
        }
    }

    private void NotRun(LaneState state, WaitingTasks.Waiting waiting)
    {
        state.Waiting.Add(waiting);
        if (state.Stopping.IsCancellationRequested)
        {
            _ = GiveBackAsync(state, state.Waiting.TakeAll());
        }
    }

    private void Ended(LaneState state, TaskRecord task)
    {
        _running.TryRemove(task.Id, out var _);
        Interlocked.Decrement(ref state.Held);
        state.Ended.Release();
    }

    /// <summary>
    /// Puts claimed tasks that never started back in the queue, and claims none ahead until a run ends (a run outlasted
    /// the pace). When the database cannot take them now they wait here on, their leases renewed; a stopping silo lets
    /// them go, and another silo claims them when their leases run out.
    /// </summary>
    private async Task GiveBackAsync(LaneState state, IReadOnlyList<WaitingTasks.Waiting> waiting)
    {
        if (waiting.Count == 0)
        {
            return;
        }
        state.Pace.CloseAhead();
        try
        {
            await tasks.GiveBackAsync(_owner, waiting.Select(w => w.Task.Id).ToList());
            LogGivenBack(logger, waiting.Count, state.Lane.WireName());
        }
        catch (Exception failure)
        {
            LogGiveBackFailed(logger, failure, waiting.Count);
            if (!state.Stopping.IsCancellationRequested)
            {
                foreach (var task in waiting)
                {
                    state.Waiting.Add(task);
                }
                return;
            }
        }
        foreach (var task in waiting)
        {
            _running.TryRemove(task.Task.Id, out var _);
            Interlocked.Decrement(ref state.Held);
        }
    }

    /// <summary>
    /// Runs the task where <paramref name="place"/> says and records how it ended, calling <paramref name="workerFree"/> as
    /// soon as the run returned; false when it did not run there (nothing recorded).
    /// </summary>
    private async Task<bool> RunAsync(LaneState state, TaskRecord task, RunPlace place, Action workerFree)
    {
        var lane = state.Lane;
        string status;
        string? errorJson;
        var canRetry = true;
        (double Cost, IReadOnlyList<string> PrintLogs, string? ResultJson) ran = (0, [], null);
        try
        {
            var timeout = task.TimeoutSeconds > 0 ? task.TimeoutSeconds : (int?)null;
            var (crontab, httpRequest, _, caller) = StoredContext.Read(task.ContextJson);
            var context = new RunContext(WireNames<TaskOrigin>.TryParse(task.Origin, out var origin) ? origin : TaskOrigin.Direct, task.OriginId)
            {
                TaskId = task.Id,
                FuncChain = JsonSerializer.Deserialize<List<string>>(task.FuncChainJson) ?? [],
                TriggerTime = task.TriggerTime,
                Crontab = crontab,
                Attempt = task.Attempt,
                HttpRequestJson = httpRequest,
                RootTaskId = caller?.TaskId,
                ExecMode = crontab is null ? caller?.ExecMode ?? ExecModes.Async : null,
            };
            var outcome = await invoker.CallAsync(task.FuncId, task.KwargsJson, new FuncCallOptions(timeout), lane, context, place);
            if (outcome is null)
            {
                return false;
            }
            var run = outcome.Run;
            (status, errorJson) = (run.Status, run.Error is null ? null : JsonSerializer.Serialize(run.Error, JsonSerializerOptions.Web));
            ran = (run.Cost, run.PrintLogs, run.ResultJson);
            state.Pace.Record(run.Cost);
        }
        catch (DffException refused)
        {
            // The func is gone (deleted or unpublished since the call was queued).
            (status, errorJson) = (FuncRunStatus.Failure, JsonSerializer.Serialize(new FuncError(refused.Reason, refused.Message, null, ""), JsonSerializerOptions.Web));
            canRetry = false;
        }
        catch (Exception failure)
        {
            LogRunFailed(logger, failure, task.Id);
            workerFree();
            return true;
        }
        workerFree();
        var end = DateTimeOffset.UtcNow;
        RecordWait(lane, task, end - TimeSpan.FromSeconds(ran.Cost));
        var completion = new TaskCompletion(task.Id, status, end - TimeSpan.FromSeconds(ran.Cost), end, ran.Cost, ran.PrintLogs, ran.ResultJson, errorJson);
        completion = completion with { Next = await FollowUpAsync(task, lane, completion, canRetry) };
        await CompleteAsync(completion);
        if (completion.Next is { } next)
        {
            signal.Notify(next.Lane);
        }
        return true;
    }

    /// <summary>
    /// What the run's end queues (a retry, an error handler's call), asked again a few times while the grains it reads
    /// are away; past that the failure is recorded without it, and the log says so.
    /// </summary>
    private async Task<QueuedTask?> FollowUpAsync(TaskRecord task, Lane lane, TaskCompletion completion, bool canRetry)
    {
        var wait = DatabaseRetry.FirstWait;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await followUps.AfterAsync(task, lane, completion, canRetry);
            }
            catch (Exception) when (attempt < FollowUpAttempts)
            {
                await Task.Delay(wait);
                wait = DatabaseRetry.After(wait);
            }
            catch (Exception failure)
            {
                LogFollowUpFailed(logger, failure, task.Id);
                return null;
            }
        }
    }

    /// <summary>How long past its due time the task's run began (a crontab run is due at its minute plus its delay).</summary>
    private void RecordWait(Lane lane, TaskRecord task, DateTimeOffset start)
    {
        var wait = start - (task.RunAfter ?? task.TriggerTime);
        funcMetrics.RecordQueueWait(lane, task.Origin, wait);
        if (task.Origin == TaskOrigin.Crontab.WireName() && wait > Telemetry.QueueMetrics.LateAfter)
        {
            queueMetrics.RecordLateRun();
        }
    }

    /// <summary>
    /// Writes how the task ended, asking again while PostgreSQL is away (1 s doubling, at most 10 s, for about
    /// two minutes), so a run that happened is not run again for want of its record; the task stays this
    /// silo's meanwhile (its lease is renewed with the same connection, when there is one).
    /// </summary>
    private async Task CompleteAsync(TaskCompletion completion)
    {
        var wait = DatabaseRetry.FirstWait;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await tasks.CompleteAsync(completion);
                return;
            }
            catch (Exception failure) when (attempt < CompletionAttempts)
            {
                LogCompletionDeferred(logger, failure, completion.Id, wait);
                await Task.Delay(wait);
                wait = DatabaseRetry.After(wait);
            }
            catch (Exception failure)
            {
                LogRunFailed(logger, failure, completion.Id);
                return;
            }
        }
    }
}
