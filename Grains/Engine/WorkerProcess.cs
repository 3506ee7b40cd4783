using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Engine.Protocol;
using OrleansFunc.Hosting;

namespace OrleansFunc.Engine;

/// <summary>What a worker produced for one run, or why it had to be killed.</summary>
/// <param name="NotStarted">
/// The run was queued behind another on a worker that ended before reaching it: nothing of it
/// ran, so the pool hands it to another worker.
/// </param>
public sealed record WorkerOutcome(string? ResultJson, KillReason? KillReason, string? KillDetail, bool NotStarted = false);

/// <summary>
/// One Python worker process: owns spawn, kill, the memory limits and disposal; the runs it is
/// given go through its <see cref="WorkerConversation"/>. A worker that was killed or broke the
/// protocol is no longer usable; the pool replaces it.
/// </summary>
public sealed partial class WorkerProcess : IAsyncDisposable, IWorkerProcessControl
{
    private readonly Process _process;
    private readonly Socket _connection;
    private readonly WorkerConversation _conversation;
    private readonly string _folder;

    /// <summary>The kernel's memory and process limits around the worker and all it starts, where the host has them.</summary>
    private readonly WorkerCgroup? _cgroup;
    private volatile bool _groupGone;

    /// <summary>1 while a kill is under way (<see cref="IWorkerProcessControl.Kill"/>): a kill asked for meanwhile is that one.</summary>
    private int _killing;

    /// <summary>
    /// Completes when the worker's process has exited. Unlike <see cref="Process.WaitForExitAsync"/>,
    /// it does not also wait for the end of the process's output, which a process the worker forked
    /// may hold open long after (one that left the process group escapes the kill).
    /// </summary>
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Reads the channel from the start (the poller hands its frames to <see cref="IChannelSink.OnFrame"/>);
    /// the first frame is the worker's Ready.
    /// </summary>
    private WorkerProcess(Process process, Socket connection, string folder, WorkerCgroup? cgroup, TimeSpan grace, ChannelPoller poller, ILogger logger)
    {
        _process = process;
        _cgroup = cgroup;
        _connection = connection;
        _folder = folder;
        ProcessId = PeerProcessId(connection);
        _conversation = new WorkerConversation(this, new NetworkStream(connection, ownsSocket: true), grace, logger);
        try
        {
            poller.Add(connection, _conversation);
        }
        catch
        {
            _conversation.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => _exited.TrySetResult();
        if (_process.HasExited)
        {
            _exited.TrySetResult();
        }
        _ = EndChannelWhenProcessExitsAsync();
    }

    /// <summary>
    /// The channel ends when the worker's process does, even if a process it forked still holds the
    /// other end open: what the worker wrote before it ended is still read, then the poller sees the end.
    /// </summary>
    private async Task EndChannelWhenProcessExitsAsync()
    {
        await _exited.Task;
        try
        {
            _connection.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception gone) when (gone is ObjectDisposedException or SocketException)
        {
            // The channel was closed already.
        }
    }

    /// <summary>
    /// The worker program's process (in a sandbox, a descendant of the one started), as this host
    /// sees it; kept apart from the Process object, which may be disposed while the memory monitor reads it.
    /// </summary>
    public int ProcessId { get; }

    /// <summary>The process at the other end of a Unix socket (SO_PEERCRED), in this host's process namespace.</summary>
    private static int PeerProcessId(Socket connection)
    {
        const int SolSocket = 1, SoPeerCred = 17;
        Span<byte> credentials = stackalloc byte[12];
        connection.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        return BitConverter.ToInt32(credentials[..4]);
    }

    /// <summary>The generation of the installed Python packages on the worker's path.</summary>
    public long PackageGeneration { get; private init; }

    /// <summary>Runs sent to this worker so far.</summary>
    public int RunCount => _conversation.RunCount;

    /// <summary>
    /// Runs after which the worker is replaced: <c>MaxRunsPerWorker</c> less up to a tenth, drawn at start, so that
    /// workers started together are not replaced together.
    /// </summary>
    public int RunQuota { get; private init; }

    public bool IsUsable => _conversation.IsUsable;

    /// <summary>Why the worker ended, once it did (killed for a reason of its run, or crashed); null while it works.</summary>
    public KillReason? EndedBy => _conversation.EndedBy;

    /// <summary>Completes when the worker's channel closes (it ended, was killed or disposed) and its runs were told.</summary>
    public Task Ended => _conversation.Ended;

    /// <summary>How long the run in progress has been going; zero when idle.</summary>
    public TimeSpan CurrentRunElapsed => _conversation.CurrentRunElapsed;

    /// <inheritdoc cref="WorkerConversation.RunAsync"/>
    public Task<WorkerOutcome> RunAsync(ReadOnlyMemory<byte> requestFrame, TimeSpan timeout, IRunCallbacks callbacks, CancellationToken cancellationToken) =>
        _conversation.RunAsync(requestFrame, timeout, callbacks, cancellationToken);

    /// <summary>Resident memory in MiB, from /proc; 0 once the process is gone.</summary>
    public long ResidentMb => ProcessTree.ResidentMb(ProcessId);

    /// <summary>Starts a worker and waits for its Ready frame.</summary>
    public static async Task<WorkerProcess> StartAsync(WorkerLaunch launch, ChannelPoller poller, ILogger logger, CancellationToken cancellationToken)
    {
        var settings = launch.Settings;
        if (!File.Exists(settings.ResolveWorkerPath()))
        {
            throw new FileNotFoundException($"The worker program {settings.ResolveWorkerPath()} does not exist (OrleansFunc:Engine:WorkerPath)");
        }
        var workerFolder = WorkerFolder.Create();
        var (folder, home, socketPath) = workerFolder;
        var packages = launch.CurrentPackages;
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        await workerFolder.HandToAsync(launch.RunAsUser, cancellationToken);

        var cgroup = launch.Cgroups?.Create();
        Process process;
        try
        {
            process = await LaunchThread.StartAsync(launch.StartInfo(socketPath, folder, home, cgroup, packages));
        }
        catch
        {
            cgroup?.Dispose();
            throw;
        }
        process.StandardInput.Close();
        var lastWords = new LastLines(10);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                LogWorkerOutput(logger, process.Id, e.Data);
                lastWords.Add(e.Data.Trim());
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        WorkerProcess? worker = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.WorkerStartTimeout);
            var connection = await AcceptUnlessExitedAsync(listener, process, timeout.Token);
            var peer = PeerProcessId(connection);
            // A peer already gone is the new worker that failed at once: its exit is reported below.
            if (!ProcessTree.Descends(peer, process.Id) && Directory.Exists($"/proc/{peer}"))
            {
                // Another process of the workers' user found the socket first: it gets nothing.
                connection.Dispose();
                throw new InvalidOperationException("A process that is not the new worker connected to its channel");
            }
            worker = new WorkerProcess(process, connection, folder, cgroup, settings.HardKillGrace, poller, logger) {
                PackageGeneration = packages.Generation,
                RunQuota = settings.MaxRunsPerWorker - Random.Shared.Next(settings.MaxRunsPerWorker / 10 + 1),
            };
            var ready = await worker._conversation.FirstFrame.WaitAsync(timeout.Token);
            if (ready is not { } frame)
            {
                // It connected, then closed the channel: it is exiting, and its exit code says more.
                await process.WaitForExitAsync(timeout.Token);
                throw ExitedBeforeReady(process);
            }
            if (frame.Kind != MessageKind.Ready)
            {
                throw new InvalidOperationException($"The Python worker did not report ready (it sent {frame.Kind})");
            }
            File.Delete(socketPath);
            return worker;
        }
        catch (Exception failure)
        {
            KillQuietly(process);
            // Its standard error, read to the end, says why it could not start; bounded, in case a
            // process it left behind holds the pipe open.
            using (var drained = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                try
                {
                    await process.WaitForExitAsync(drained.Token);
                }
                catch (OperationCanceledException)
                {
                    // Reported without its last words.
                }
            }
            if (worker is not null)
            {
                // Closes the channel, disposes the process and removes the folder.
                await worker.DisposeAsync();
            }
            else
            {
                process.Dispose();
                cgroup?.Dispose();
                Directory.Delete(folder, recursive: true);
            }
            if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            var reason = failure is OperationCanceledException ? $"it did not report ready within {settings.WorkerStartTimeout.TotalSeconds:0.#} s" : failure.Message;
            throw new InvalidOperationException(lastWords.IsEmpty ? reason : $"{reason}; it wrote: {lastWords}", failure);
        }
    }

    /// <summary>The worker's connection; fails at once when the worker exits before connecting.</summary>
    private static async Task<Socket> AcceptUnlessExitedAsync(Socket listener, Process process, CancellationToken cancellationToken)
    {
        var accept = listener.AcceptAsync(cancellationToken).AsTask();
        var exit = process.WaitForExitAsync(cancellationToken);
        if (await Task.WhenAny(accept, exit) == exit && !accept.IsCompleted)
        {
            // The listener is closed on the way out, which ends the pending accept.
            _ = accept.ContinueWith(static a => a.Exception, TaskContinuationOptions.OnlyOnFaulted);
            await exit;
            throw ExitedBeforeReady(process);
        }
        return await accept;
    }

    // One message whether the worker exited before or after connecting: which came first is a race.
    private static InvalidOperationException ExitedBeforeReady(Process process) =>
        new($"The Python worker exited with code {process.ExitCode} before it was ready");

    /// <summary>
    /// Called by the pool's memory monitor: stops the run in progress when the worker is over
    /// <paramref name="limitMb"/>, and marks a worker over <paramref name="recycleAboveMb"/> for replacement.
    /// </summary>
    public void EnforceMemoryLimits(int limitMb, int recycleAboveMb)
    {
        var resident = ResidentMb;
        // The kernel killed one of its processes at the cgroup's limit (a child, maybe): the run that
        // went over stops as a whole, as it would at the census, and the worker is replaced.
        if (resident > limitMb || _cgroup?.MemoryKilled == true)
        {
            _conversation.StopCurrentRun(KillReason.MemoryLimit);
            ShouldRecycle = true;
        }
        if (resident > recycleAboveMb)
        {
            ShouldRecycle = true;
        }
    }

    /// <summary>The worker grew past the recycling threshold; the pool replaces it after its runs.</summary>
    public bool ShouldRecycle { get; private set; }

    /// <summary>Whether a run left processes behind; such a worker is replaced.</summary>
    public bool LeftProcessesBehind { get; private set; }

    /// <summary>Whether the worker has child processes (alive or not yet reaped), made by any of its threads.</summary>
    private bool HasChildProcesses
    {
        get
        {
            try
            {
                return Directory.EnumerateDirectories($"/proc/{ProcessId}/task")
                    .Any(task => File.ReadAllText(Path.Combine(task, "children")).Trim().Length > 0);
            }
            catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Called by the pool about once a second with the host's process tree: the memory limit counts
    /// every process the worker started (a script's children too), and a worker that is between runs
    /// while processes of a run are still alive is replaced (its processes end with it), whatever
    /// the worker reported about them.
    /// </summary>
    public void TakeCensus(ProcessTree.Snapshot processes, int limitMb)
    {
        var descendants = processes.DescendantsOf(ProcessId);
        if (descendants.Count == 0)
        {
            return;
        }
        // Proportional, not resident: forked children share most of their pages with the worker.
        var totalMb = ProcessTree.ProportionalMb(ProcessId) + descendants.Sum(ProcessTree.ProportionalMb);
        if (totalMb > limitMb)
        {
            _conversation.StopCurrentRun(KillReason.MemoryLimit);
        }
        if (_conversation.IsBetweenRuns)
        {
            LeftProcessesBehind = true;
        }
    }

    private readonly Lock _disposalGate = new();
    private Task? _disposal;

    /// <summary>Kills and cleans up once; the pool may ask again while retiring it.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_disposalGate)
        {
            return new ValueTask(_disposal ??= DisposeOnceAsync());
        }
    }

    private async Task DisposeOnceAsync()
    {
        _conversation.Close();
        await _exited.Task;
        await Ended;
        await _conversation.DisposeAsync();
        _process.Dispose();
        _cgroup?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception left) when (left is IOException or UnauthorizedAccessException)
        {
            // A file the user script left open, or a folder it locked (as the host's own user); the folder is in the temp directory.
        }
    }

    Task IWorkerProcessControl.Exited => _exited.Task;

    bool IWorkerProcessControl.MemoryKilled => _cgroup?.MemoryKilled == true;

    void IWorkerProcessControl.CheckForLeftChildren()
    {
        if (HasChildProcesses)
        {
            LeftProcessesBehind = true;
        }
    }

    /// <summary>
    /// Kills the process group (once it is gone, its number is never signalled again), on a thread of its own: the group
    /// is signalled again and again until the kernel has reaped all of it, which can take a second, and neither a
    /// thread-pool thread nor the channel poller may wait that long (two retired workers used to stall every call of
    /// the host until the pool grew).
    /// </summary>
    void IWorkerProcessControl.Kill()
    {
        if (Interlocked.CompareExchange(ref _killing, 1, 0) != 0)
        {
            return;
        }
        new Thread(() =>
        {
            try
            {
                _groupGone = KillQuietly(_process, _groupGone);
            }
            finally
            {
                Volatile.Write(ref _killing, 0);
            }
        }) { IsBackground = true, Name = "Worker kill" }.Start();
    }

    async Task<string> IWorkerProcessControl.DescribeExitAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _exited.Task.WaitAsync(wait.Token);
            var code = _process.ExitCode;
            return code > 128 ? $"the worker process was killed by signal {code - 128}" : $"the worker process exited with code {code}";
        }
        catch (OperationCanceledException)
        {
            return "the worker closed its channel";
        }
    }

    /// <summary>
    /// Kills the process group and then the process tree. Returns true when the group is gone; a
    /// group number is only safe to signal while the group exists (the kernel keeps the number until
    /// then), so callers that kill again later skip the group once it is gone.
    /// </summary>
    private static bool KillQuietly(Process process, bool groupGone = false)
    {
        try
        {
            // The whole process group: the worker and anything the script forked.
            groupGone = groupGone || ProcessGroups.KillAll(process.Id);
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        return groupGone;
    }

    /// <summary>The last few lines a worker wrote, kept while it starts.</summary>
    private sealed class LastLines(int capacity)
    {
        private readonly Queue<string> _lines = new();

        public bool IsEmpty
        {
            get
            {
                lock (_lines)
                {
                    return _lines.Count == 0;
                }
            }
        }

        public void Add(string line)
        {
            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > capacity)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join(" | ", _lines);
            }
        }
    }
}
