using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansFunc.Engine.Protocol;

namespace OrleansFunc.Engine;

/// <summary>
/// The conversation with one worker over its channel: the runs it is given, their deadlines and
/// callbacks (the process itself is <see cref="WorkerProcess"/>). The pool may send a few runs ahead while one is running, so the worker
/// goes from one to the next without waiting for the silo (one wake-up can carry several frames);
/// the worker answers them in order. The first run in flight is the one running: its deadline is
/// armed when it starts, callbacks belong to it, and a kill ends it. Runs queued behind a worker
/// that ends come back <see cref="WorkerOutcome.NotStarted"/>, for another worker.
/// </summary>
internal sealed partial class WorkerConversation : IChannelSink, IAsyncDisposable
{
    private readonly IWorkerProcessControl _process;
    private readonly Stream _channel;
    private readonly TimeSpan _grace;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<Frame?> _readyFrame = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _readyReceived;
    private Task _answering = Task.CompletedTask;
    private readonly Queue<PendingRun> _inFlight = new();
    private readonly Lock _inFlightGate = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Timer _deadline;
    private PendingRun? _deadlineArmedFor;
    private KillReason? _stopReason;
    private readonly CancellationTokenSource _stopped = new();
    private long _currentRunStarted;
    private int _runCount;

    /// <summary>Talks over <paramref name="channel"/> to <paramref name="process"/>; the poller hands it the frames read.</summary>
    public WorkerConversation(IWorkerProcessControl process, Stream channel, TimeSpan grace, ILogger logger)
    {
        _process = process;
        _channel = channel;
        _grace = grace;
        _logger = logger;
        _deadline = new Timer(_ => OnDeadline());
    }

    /// <summary>The worker's first frame (its Ready), or null when it closed the channel before sending one.</summary>
    public Task<Frame?> FirstFrame => _readyFrame.Task;

    /// <summary>Runs sent to this worker so far.</summary>
    public int RunCount => Volatile.Read(ref _runCount);

    /// <summary>False once the worker was killed, ended or broke the protocol: the pool replaces it.</summary>
    public bool IsUsable { get; private set; } = true;

    /// <summary>Completes when the channel closed (the worker ended, was killed or disposed) and its runs were told.</summary>
    public Task Ended => _ended.Task;

    /// <summary>Why the worker ended, once its channel closed; null while it works.</summary>
    public KillReason? EndedBy { get; private set; }

    /// <summary>Gives the worker no more runs and kills it (it is being disposed); the runs in flight end as killed.</summary>
    public void Close()
    {
        lock (_inFlightGate)
        {
            IsUsable = false;
        }
        Kill();
    }

    /// <summary>How long the run in progress has been going; zero when idle.</summary>
    public TimeSpan CurrentRunElapsed
    {
        get
        {
            lock (_inFlightGate)
            {
                return _inFlight.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_currentRunStarted);
            }
        }
    }

    /// <summary>
    /// Runs one request, after those already in flight. The worker raises a timeout inside Python at
    /// <paramref name="timeout"/>; if it has not answered by <paramref name="timeout"/> plus the
    /// grace, it is killed.
    /// </summary>
    public async Task<WorkerOutcome> RunAsync(
        ReadOnlyMemory<byte> requestFrame, TimeSpan timeout, IRunCallbacks callbacks, CancellationToken cancellationToken)
    {
        var run = new PendingRun(timeout, callbacks);
        await _writeGate.WaitAsync(CancellationToken.None);
        try
        {
            lock (_inFlightGate)
            {
                if (!IsUsable)
                {
                    return NotStartedOutcome;
                }
                _inFlight.Enqueue(run);
                if (_inFlight.Count == 1)
                {
                    StartClock(run);
                }
            }
            Interlocked.Increment(ref _runCount);
            await FrameCodec.WriteAsync(_channel, requestFrame, CancellationToken.None);
        }
        catch (Exception broken) when (broken is IOException or SocketException or ObjectDisposedException)
        {
            // The worker is gone: the result reader ends every run in flight, this one included.
        }
        finally
        {
            _writeGate.Release();
        }
        // Unregistered without blocking: this continues on the channel poller's thread, which must
        // not wait for a cancellation that is killing the worker on another thread.
        await using var cancellation = cancellationToken.Register(() => Cancel(run));
        return await run.Completion.Task;
    }

    private static readonly WorkerOutcome NotStartedOutcome = new(null, null, null, NotStarted: true);

    /// <summary>No run is in progress or queued on this worker.</summary>
    public bool IsBetweenRuns
    {
        get
        {
            lock (_inFlightGate)
            {
                return _inFlight.Count == 0;
            }
        }
    }

    /// <summary>Kills the worker if a run is going (the memory monitor, a deadline, a cancelled caller), telling the run why.</summary>
    public void StopCurrentRun(KillReason reason, PendingRun? onlyIf = null)
    {
        lock (_inFlightGate)
        {
            if (!_inFlight.TryPeek(out var current) || (onlyIf is not null && current != onlyIf))
            {
                return;
            }
            _stopReason ??= reason;
        }
        Kill();
    }

    /// <summary>Kills the worker's process group; a callback being answered for it is no longer waited for.</summary>
    private void Kill()
    {
        _process.Kill();
        try
        {
            _stopped.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // disposed already
        }
    }

    private void OnDeadline()
    {
        PendingRun? armed;
        lock (_inFlightGate)
        {
            armed = _deadlineArmedFor;
        }
        if (armed is not null)
        {
            StopCurrentRun(KillReason.Timeout, armed);
        }
    }

    /// <summary>A cancelled caller: the run in progress is stopped, a queued one is let go (its answer ignored).</summary>
    private void Cancel(PendingRun run)
    {
        bool running;
        lock (_inFlightGate)
        {
            running = _inFlight.TryPeek(out var current) && current == run;
        }
        if (running)
        {
            StopCurrentRun(KillReason.Cancelled, run);
        }
        else
        {
            run.Completion.TrySetResult(new WorkerOutcome(null, KillReason.Cancelled, "the run was cancelled"));
        }
    }

    /// <summary>Called under the in-flight lock when <paramref name="run"/> becomes the one running.</summary>
    private void StartClock(PendingRun run)
    {
        _currentRunStarted = Stopwatch.GetTimestamp();
        _deadlineArmedFor = run;
        _deadline.Change(run.Timeout + _grace, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The channel's frames, on the poller's thread: the Ready frame, then results in order (each
    /// completes its run right here) and the callbacks of the run in progress.
    /// </summary>
    void IChannelSink.OnFrame(Frame frame)
    {
        if (!_readyReceived)
        {
            _readyReceived = true;
            _readyFrame.TrySetResult(frame);
            return;
        }
        switch (frame.Kind)
        {
            case MessageKind.Result or MessageKind.ForkedResult:
                CompleteCurrentRun(frame.Body, forked: frame.Kind == MessageKind.ForkedResult);
                break;
            case MessageKind.Callback when CurrentRun() is { } run:
                // Answered on the thread pool (an answer may wait for grains), one after the other;
                // the worker waits for the reply, so nothing else comes meanwhile.
                _answering = _answering.ContinueWith(_ => AnswerAsync(frame.Body, run.Callbacks), TaskScheduler.Default).Unwrap();
                break;
            default:
                throw new InvalidDataException($"unexpected frame {frame.Kind}");
        }
    }

    void IChannelSink.OnClosed(string? brokenDetail, bool violatedProtocol)
    {
        if (!_readyReceived)
        {
            // Closed while starting: no run was given to it, and StartAsync reports how it exited.
            _readyFrame.TrySetResult(null);
            _ended.TrySetResult();
            return;
        }
        var answering = _answering;
        _ = Task.Run(async () =>
        {
            try
            {
                await EndAllRunsAsync(brokenDetail, violatedProtocol);
                await answering;
            }
            finally
            {
                _ended.TrySetResult();
            }
        });
    }

    private PendingRun? CurrentRun()
    {
        lock (_inFlightGate)
        {
            return _inFlight.TryPeek(out var run) ? run : null;
        }
    }

    private void CompleteCurrentRun(string resultJson, bool forked)
    {
        PendingRun finished;
        lock (_inFlightGate)
        {
            if (!_inFlight.TryDequeue(out finished!))
            {
                throw new InvalidDataException("a result came with no run in flight");
            }
            _deadlineArmedFor = null;
            if (_inFlight.TryPeek(out var next))
            {
                StartClock(next);
            }
            else
            {
                _deadline.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
        // Only a run that forked can have left children: then /proc is asked.
        if (forked)
        {
            _process.CheckForLeftChildren();
        }
        finished.Completion.TrySetResult(new WorkerOutcome(resultJson, null, null));
    }

    /// <summary>The channel closed or broke: the worker is killed, the run in progress told why, the queued ones sent back.</summary>
    private async Task EndAllRunsAsync(string? brokenDetail, bool violatedProtocol)
    {
        PendingRun[] runs;
        KillReason reason;
        lock (_inFlightGate)
        {
            // A channel that broke on its end (reset, cut mid-frame) is a worker that died: how, its exit says.
            reason = _stopReason ?? (_process.MemoryKilled ? KillReason.MemoryLimit
                : violatedProtocol ? KillReason.ProtocolError : KillReason.Crashed);
            EndedBy = reason;
            IsUsable = false;
            runs = _inFlight.ToArray();
            _inFlight.Clear();
            _deadlineArmedFor = null;
        }
        Kill();
        await _process.Exited;
        if (runs.Length == 0)
        {
            return;
        }
        var detail = reason switch
        {
            KillReason.Timeout => $"did not stop within {_grace.TotalSeconds:0.#} s after its time limit",
            KillReason.MemoryLimit => "its memory went over the limit",
            KillReason.Cancelled => "the run was cancelled",
            KillReason.ProtocolError => brokenDetail ?? "a frame outside the protocol",
            _ => await _process.DescribeExitAsync(),
        };
        LogKilled(_logger, _process.ProcessId, reason, detail);
        runs[0].Completion.TrySetResult(new WorkerOutcome(null, reason, detail));
        foreach (var queued in runs.Skip(1))
        {
            queued.Completion.TrySetResult(NotStartedOutcome);
        }
    }

    /// <summary>What the script is told of a failed callback.</summary>
    private static string Describe(Exception failure) => Storage.PostgresText.RefusedNul(failure)
        ? "PostgreSQL stores no NUL character ('\\x00') in a key or a text value"
        : failure.Message;

    /// <summary>Answers one callback; never throws (a channel that broke meanwhile is reported by the poller).</summary>
    private async Task AnswerAsync(string callbackJson, IRunCallbacks callbacks)
    {
        string reply;
        try
        {
            using var callback = JsonDocument.Parse(callbackJson);
            var value = await callbacks.AnswerAsync(callback.RootElement.GetProperty(WorkerMessages.Callback.Name).GetString() ?? "",
                    callback.RootElement.GetProperty(WorkerMessages.Callback.Args))
                .WaitAsync(_stopped.Token);
            reply = $"{{\"{WorkerMessages.CallbackReply.Ok}\":true,\"{WorkerMessages.CallbackReply.Value}\":{value}}}";
        }
        catch (Exception failure)
        {
            reply = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                [WorkerMessages.CallbackReply.Ok] = false, [WorkerMessages.CallbackReply.Error] = Describe(failure),
            });
        }
        await _writeGate.WaitAsync();
        try
        {
            await FrameCodec.WriteAsync(_channel, new Frame(MessageKind.CallbackReply, reply));
        }
        catch (Exception broken) when (broken is IOException or SocketException or ObjectDisposedException)
        {
            // The worker is gone.
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _deadline.DisposeAsync();
        _stopped.Dispose();
        await _channel.DisposeAsync();
    }

    /// <summary>One run sent to the worker: its limits, its callbacks and its caller's answer.</summary>
    internal sealed class PendingRun(TimeSpan timeout, IRunCallbacks callbacks)
    {
        public TimeSpan Timeout { get; } = timeout;

        public IRunCallbacks Callbacks { get; } = callbacks;

        public TaskCompletionSource<WorkerOutcome> Completion { get; } = new();
    }
}
