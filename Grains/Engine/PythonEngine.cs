using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Hosting;

namespace OrleansFunc.Engine;

/// <summary>
/// The silo's Python engine: one warm <see cref="WorkerPool"/> per lane and one per named pool
/// (<see cref="EngineSettings.Pools"/>), started with the host and stopped with it. Turns a <see cref="FuncRunRequest"/>
/// into a worker request and the worker's answer (or its death) into a <see cref="FuncRunResult"/>.
/// </summary>
public sealed partial class PythonEngine(
    OrleansFuncOptions options, ILoggerFactory loggers, Telemetry.WorkerMetrics? metrics = null, PythonPackages.PythonPackageSite? packages = null)
    : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource<Pools> _pools = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The lanes' pools, and the named ones.</summary>
    private sealed record Pools(Dictionary<Lane, WorkerPool> Lanes, Dictionary<string, WorkerPool> Named)
    {
        /// <summary>A run's pool: the named pool it asks for when there is one, else its lane's.</summary>
        public WorkerPool For(FuncRunRequest request) =>
            request.Pool is { } name && Named.TryGetValue(name, out var pool) ? pool : Lanes[request.Lane];

        public IEnumerable<WorkerPool> All => Lanes.OrderBy(p => p.Key).Select(p => p.Value).Concat(Named.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value));
    }
    private readonly ILogger _logger = loggers.CreateLogger<PythonEngine>();

    /// <summary>Runs sent to the workers and not answered yet: a stopping host waits for them.</summary>
    private int _inFlight;
    private ChannelPoller? _channels;
    private WorkerLaunch? _launch;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var runAsUser = await ChooseWorkerUserAsync(cancellationToken);
        // Before the first sync and before any sandbox binds them.
        PrepareSharedFolders();
        await PreparePackagesAsync(cancellationToken);
        var launch = _launch = await WorkerLaunch.PrepareAsync(options, runAsUser,
            packages is null ? () => PythonPackages.PackageFolder.None : () => packages.Current, cancellationToken);
        if (launch.Cgroups is { } cgroups)
        {
            LogWorkerCgroups(_logger, cgroups.Kind, options.Engine.MemoryLimitMb, options.Engine.WorkerPidsLimit);
        }
        else
        {
            LogNoWorkerCgroups(_logger, launch.WhyNoCgroups ?? "");
        }
        if (launch.WhyOrleansPortsOpen is { } whyOpen)
        {
            LogOrleansPortsOpen(_logger, whyOpen);
        }
        if (launch.Sandboxed)
        {
            LogWorkersSandboxed(_logger, runAsUser ?? Environment.UserName);
        }
        else
        {
            LogWorkersUnisolated(_logger, runAsUser ?? Environment.UserName);
        }
        var channels = _channels = new ChannelPoller(loggers.CreateLogger<ChannelPoller>());
        var pools = new Pools(
            Enum.GetValues<Lane>().ToDictionary(lane => lane,
                lane => new WorkerPool(lane, launch, channels, loggers.CreateLogger($"OrleansFunc.Engine.{lane}"), metrics)),
            options.Engine.Pools.ToDictionary(p => p.Key,
                p => new WorkerPool(p.Key, p.Value.AsLane(), launch, channels, loggers.CreateLogger($"OrleansFunc.Engine.Pool.{p.Key}"), metrics),
                StringComparer.Ordinal));
        metrics?.ObservePools(() => pools.All.Select(pool => pool.Status));
        // Warm up in the background: the host need not wait for Python, runs wait for their lane.
        foreach (var pool in pools.All)
        {
            _ = pool.StartAsync();
        }
        _pools.TrySetResult(pools);
    }

    /// <summary>
    /// Lets the runs in flight end (until the host's shutdown timeout cancels the wait), then stops every
    /// worker. By then the host has stopped taking calls: Kestrel has drained its requests and, on a
    /// silo, <see cref="LocalRunner"/> has sent other silos' runs elsewhere since the stop began.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (Volatile.Read(ref _inFlight) > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            LogDrainCut(_logger, Volatile.Read(ref _inFlight));
        }
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_pools.Task.IsCompletedSuccessfully)
        {
            foreach (var pool in _pools.Task.Result.All)
            {
                await pool.DisposeAsync();
            }
        }
        // After the workers: disposing one waits until its channel has ended.
        _channels?.Dispose();
        _launch?.Cgroups?.Dispose();
        _launch?.OrleansPortsClosed?.Dispose();
    }

    /// <summary>How workers are started here (pip runs the same way); set once the engine has started.</summary>
    public WorkerLaunch Launch => _launch ?? throw new InvalidOperationException("The Python engine has not started");

    /// <summary>
    /// The installed packages' folder made, and the newest generation unpacked before the first worker starts; a
    /// database that does not answer now leaves the workers without packages until the sync service gets them.
    /// </summary>
    private async Task PreparePackagesAsync(CancellationToken cancellationToken)
    {
        if (packages is null)
        {
            return;
        }
        try
        {
            await packages.SyncAsync(cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogPackagesNotReady(_logger, failure);
        }
    }

    /// <summary>Every lane's pool now, then the named pools.</summary>
    public async Task<IReadOnlyList<Stats.PoolStatus>> StatusAsync() =>
        (await _pools.Task).All.Select(pool => pool.Status).ToList();

    /// <summary>
    /// Runs a request on its lane. The returned task completes on the thread that reads every worker
    /// channel: a caller that does more than a little work after it moves off that thread first
    /// (grains do, by their scheduler; <see cref="FuncRunner"/> does for everyone else).
    /// </summary>
    public async Task<FuncRunResult> RunAsync(
        FuncRunRequest request, IRunCallbacks callbacks, CancellationToken cancellationToken = default) =>
        (await RunOnPoolAsync(request, callbacks, waitForWorker: true, cancellationToken))!;

    /// <summary>
    /// As <see cref="RunAsync"/> when a worker of the lane is idle now; else null at once (before the
    /// pools are up too), so that the caller can send the run to another silo. Callers ask
    /// <see cref="HasIdleWorker"/> first, so that a busy silo writes no request.
    /// </summary>
    public Task<FuncRunResult?> TryRunNowAsync(FuncRunRequest request, IRunCallbacks callbacks) =>
        _pools.Task.IsCompletedSuccessfully
            ? RunOnPoolAsync(request, callbacks, waitForWorker: false, CancellationToken.None)
            : Task.FromResult<FuncRunResult?>(null);

    /// <summary>
    /// Whether the request's lane has an idle worker now: asked before a run is written for
    /// <see cref="TryRunNowAsync"/>, so that a busy silo answers "no" without writing it first.
    /// </summary>
    public bool HasIdleWorker(FuncRunRequest request) =>
        _pools.Task.IsCompletedSuccessfully && _pools.Task.Result.For(request).HasIdleWorker(ScriptSetOf(request));

    private async Task<FuncRunResult?> RunOnPoolAsync(
        FuncRunRequest request, IRunCallbacks callbacks, bool waitForWorker, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(request.TimeoutSeconds);
        var workerRequest = WorkerRequests.Write(request);
        var pools = await _pools.Task.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _inFlight);
        WorkerOutcome? outcome;
        try
        {
            outcome = await pools.For(request).RunAsync(
                workerRequest, ScriptSetOf(request), timeout, new RunCodeAnswered(request.Code, callbacks), cancellationToken, waitForWorker);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
        if (outcome is null)
        {
            return null;
        }
        var result = outcome.ResultJson is { } json ? WorkerResults.Parse(json) : WorkerResults.Killed(request, outcome);
        Telemetry.FuncTracing.RecordWorkerRun(request, result);
        return result;
    }

    /// <summary>The worker asks for the run's code only when it has not cached it yet (see WorkerRequests): the engine has it.</summary>
    private sealed class RunCodeAnswered(string code, IRunCallbacks others) : IRunCallbacks
    {
        public Task<string> AnswerAsync(string name, JsonElement args) =>
            name == Protocol.WorkerMessages.Callbacks.RunCode ? Task.FromResult(JsonSerializer.Serialize(code)) : others.AnswerAsync(name, args);
    }

    /// <summary>The script set whose code a run executes; null for data source modes, which run no script.</summary>
    private static string? ScriptSetOf(FuncRunRequest request) =>
        request.Mode.RunsScript() ? Scripts.ScriptRules.SetIdOf(request.ScriptId) : null;

    /// <summary>
    /// The resource, upload and Python package folders readable by the workers, and <c>resources/.downloads/</c> writable by
    /// them (sticky, like /tmp); made before any worker starts, since a sandbox binds them as they are then.
    /// </summary>
    private void PrepareSharedFolders()
    {
        var downloads = Path.Combine(options.ResourceFolder, ".downloads");
        Directory.CreateDirectory(downloads);
        Directory.CreateDirectory(options.UploadFolder);
        Directory.CreateDirectory(options.PythonPackageFolder);
        File.SetUnixFileMode(options.ResourceFolder, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(options.UploadFolder, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(options.PythonPackageFolder, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(downloads, UnixFileMode.StickyBit | (UnixFileMode)0b111_111_111);
    }

    /// <summary>
    /// As root, workers start as an unprivileged user, which must be able to load the worker program:
    /// never as root, which would hand root's rights to every script.
    /// </summary>
    private async Task<string?> ChooseWorkerUserAsync(CancellationToken cancellationToken)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return null;
        }
        var user = options.Engine.WorkerOsUser;
        await OsCommands.EnsureUserAsync(user, cancellationToken);
        var workerFolder = Path.GetDirectoryName(options.Engine.ResolveWorkerPath())!;
        // A program that is not there at all is reported by each lane, with the path, on every run.
        if (!File.Exists(options.Engine.ResolveWorkerPath()) || await OsCommands.UserCanAsync(user, "-r", options.Engine.ResolveWorkerPath(), cancellationToken) &&
            await OsCommands.UserCanAsync(user, "-x", workerFolder, cancellationToken))
        {
            return user;
        }
        throw new InvalidOperationException(
            $"Python workers run as the OS user {user}, which cannot read the worker program in {workerFolder}: give its parent folders o+x " +
            "and the program o+r (./run.sh does), or install OrleansFunc where other users can read it");
    }
}
