using OrleansFunc.Engine;

namespace OrleansFunc.Hosting;

/// <summary>The Python engine: where CPython is, and the size and default time limit of each lane.</summary>
public sealed class EngineSettings
{
    /// <summary>The CPython shared library the workers embed (Debian's python3.11).</summary>
    public string PythonLibrary { get; set; } = "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0";

    /// <summary>
    /// The interpreter of that same CPython, which runs pip when administrators install packages for scripts (Debian's
    /// python3-pip): packages built for it load in the workers.
    /// </summary>
    public string PythonProgram { get; set; } = "/usr/bin/python3";

    /// <summary>The worker program; empty means PythonWorker.dll beside the host.</summary>
    public string? WorkerPath { get; set; }

    /// <summary>After the time limit, how long a worker gets to stop by itself before it is killed.</summary>
    public TimeSpan HardKillGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A worker is replaced after this many runs (leaks in third-party modules stay bounded). Not lower:
    /// each replacement costs a worker start (~0.3 s of CPU) and shows in the latency tail under load.
    /// </summary>
    public int MaxRunsPerWorker { get; set; } = 100_000;

    public TimeSpan WorkerStartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A queued task runs under a lease this long, renewed every third of it while its silo runs it: if
    /// the silo dies (or cannot reach PostgreSQL that long), another claims the task once the lease is over.
    /// </summary>
    public TimeSpan TaskLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Finished task records kept per origin (a link, a batch, a config); older ones are removed.</summary>
    public int TaskRecordsPerOrigin { get; set; } = 1000;

    /// <summary>Task records older than this are removed (DataFlux Func: 90 days).</summary>
    public TimeSpan TaskRecordMaxAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// A batch call's result stays fetchable at its <c>resultURL</c> this long after the call whatever
    /// <see cref="TaskRecordsPerOrigin"/> says: a burst past the count limit never takes results before callers fetch them.
    /// </summary>
    public TimeSpan BatchResultsKeptFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Share of successful synchronous calls that get a task record (failures always do).</summary>
    public double SyncTaskRecordSampleRate { get; set; } = 0.01;

    /// <summary>
    /// The OS user workers run as when the host runs as root: never the database's user, so user
    /// code cannot read the database files.
    /// </summary>
    public string WorkerOsUser { get; set; } = "orleansfunc-worker";

    /// <summary>Processes and threads the worker user may have in all (RLIMIT_NPROC): stops fork bombs.</summary>
    public int WorkerProcessLimit { get; set; } = 4096;

    /// <summary>
    /// Processes and threads one worker and everything it starts may have at once (cgroup
    /// <c>pids.max</c>, where the server can make cgroups: as root).
    /// </summary>
    public int WorkerPidsLimit { get; set; } = 512;

    /// <summary>
    /// <see cref="WorkerSandbox.Bubblewrap"/> (the default) starts each worker inside bubblewrap (Debian
    /// package <c>bubblewrap</c>, unprivileged user namespaces): a read-only view of the system, private
    /// /tmp, the data folder hidden but for the resources and uploads, its own process namespace (no
    /// other process visible or signalled), and no listening socket.
    /// </summary>
    public WorkerSandbox Sandbox { get; set; } = WorkerSandbox.Bubblewrap;

    /// <summary>
    /// <see cref="WorkerSandbox.None"/> is refused unless this is true: without the sandbox, a script
    /// reaches every file and process of the workers' OS user. The console then warns on every page.
    /// </summary>
    public bool AcceptUnisolatedWorkers { get; set; }

    /// <summary>
    /// Host folders that sandboxed scripts may write (e.g. a shared export folder); by default none:
    /// besides their own home and temporary folders, scripts write only <c>resources/.downloads/</c>.
    /// </summary>
    public List<string> WorkerWritableFolders { get; set; } = [];

    /// <summary>
    /// <see cref="RunIsolation.ScriptSet"/> (the default): a worker runs the code of one script set
    /// only, so nothing a script changes in its interpreter reaches another set's runs.
    /// <see cref="RunIsolation.None"/> lets any run use any warm worker: fewer worker starts when many
    /// sets are called at a high rate, for installations whose script authors all trust each other.
    /// </summary>
    public RunIsolation RunIsolation { get; set; } = RunIsolation.ScriptSet;

    /// <summary>Size of each sandboxed worker's private /tmp and /var/tmp (tmpfs, held in memory).</summary>
    public int WorkerTmpMb { get; set; } = 256;

    /// <summary>Whether workers run without the sandbox (accepted by the operator).</summary>
    public bool WorkersUnisolated => Sandbox == WorkerSandbox.None;

    /// <summary>A run whose worker's resident memory passes this is stopped (the worker killed).</summary>
    public int MemoryLimitMb { get; set; } = 1024;

    /// <summary>A worker left above this much resident memory after a run is replaced.</summary>
    public int RecycleAboveMb { get; set; } = 512;

    /// <summary>Named worker pools by name (see <see cref="PoolSettings"/>); none by default.</summary>
    public Dictionary<string, PoolSettings> Pools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The pool a <c>queue</c> option names (its name or one of its queues), or null: the func runs on its origin's lane.</summary>
    public string? PoolForQueue(string? queue) =>
        queue is null ? null : Pools.FirstOrDefault(p => p.Key == queue || p.Value.Queues.Contains(queue)).Key;

    public Dictionary<Lane, LaneSettings> Lanes { get; set; } = new()
    {
        [Lane.Sync] = new() { Workers = 2, DefaultTimeoutSeconds = 30, RunsQueuedPerWorker = 3 },
        [Lane.Debug] = new() { Workers = 1, DefaultTimeoutSeconds = 30 },
        [Lane.Cron] = new() { Workers = 1, DefaultTimeoutSeconds = 30, RunsQueuedPerWorker = 3 },
        [Lane.Batch] = new() { Workers = 1, DefaultTimeoutSeconds = 3600 },
    };

    public string ResolveWorkerPath() =>
        string.IsNullOrWhiteSpace(WorkerPath) ? Path.Combine(AppContext.BaseDirectory, "PythonWorker.dll") : WorkerPath;
}

/// <summary>What a worker runs inside, beyond its unprivileged OS user and process limit.</summary>
public enum WorkerSandbox
{
    None,
    Bubblewrap,
}

/// <summary>Which runs may share a worker process (and so its interpreter).</summary>
public enum RunIsolation
{
    None,
    ScriptSet,
}

/// <summary>
/// A named worker pool beside the lanes (DataFlux Func 1.x's worker queues): funcs published with
/// <c>DFF.API(queue=...)</c> naming it, or one of its <see cref="Queues"/>, run there from every origin but the editor, so
/// heavy funcs cannot take the lanes' workers from the others.
/// </summary>
public sealed class PoolSettings
{
    public int Workers { get; set; } = 1;

    /// <summary>The 1.x queue values that mean this pool too (<c>"9"</c>, <c>"cpu"</c>, ...).</summary>
    public List<string> Queues { get; set; } = [];

    /// <summary>The pool as the engine runs a lane: no runs sent ahead (its runs are the long ones), one warm worker.</summary>
    public LaneSettings AsLane() => new() { Workers = Workers, RunsQueuedPerWorker = 0, WarmWorkers = 1 };
}

public sealed class LaneSettings
{
    public int Workers { get; set; } = 1;

    public int DefaultTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Runs sent ahead to a busy worker (only while its current run is short), so that under load a
    /// worker goes from one run to the next without waiting for the silo. 0 for lanes of long runs.
    /// A run queued behind one that then runs long waits for it, as with Celery's prefetch.
    /// </summary>
    public int RunsQueuedPerWorker { get; set; }

    /// <summary>
    /// Worker processes kept warm beyond <see cref="Workers"/> under <see cref="RunIsolation.ScriptSet"/>:
    /// the lane still runs at most <see cref="Workers"/> runs at once, but script sets that take turns
    /// each keep a worker of their own instead of replacing another's (a worker start each time).
    /// Started only as sets need them; each idle one holds its memory (tens of MiB).
    /// </summary>
    public int WarmWorkers { get; set; } = 1;
}
