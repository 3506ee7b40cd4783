using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Engine.Protocol;
using OrleansFunc.Hosting;

namespace OrleansFunc.Engine;

/// <summary>What a worker produced for one run, or why it had to be killed.</summary>
public sealed record WorkerOutcome(string? ResultJson, KillReason? KillReason, string? KillDetail);

/// <summary>
/// One Python worker process and its private channel: owns spawn, the run deadline, kill and
/// disposal. A worker that was killed or broke the protocol is no longer usable; the pool
/// replaces it.
/// </summary>
public sealed partial class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _channel;
    private readonly string _folder;
    private readonly ILogger _logger;
    private volatile CancellationTokenSource? _overMemory;

    private WorkerProcess(Process process, Stream channel, string folder, ILogger logger)
    {
        _process = process;
        _channel = channel;
        _folder = folder;
        _logger = logger;
        ProcessId = process.Id;
    }

    /// <summary>Kept apart from the Process object, which may be disposed while the memory monitor reads it.</summary>
    public int ProcessId { get; }

    public int RunCount { get; private set; }

    public bool IsUsable { get; private set; } = true;

    /// <summary>Resident memory in MiB, from /proc; 0 once the process is gone.</summary>
    public long ResidentMb
    {
        get
        {
            try
            {
                var pages = long.Parse(File.ReadAllText($"/proc/{ProcessId}/statm").Split(' ')[1]);
                return pages * Environment.SystemPageSize / (1024 * 1024);
            }
            catch (Exception gone) when (gone is IOException or FormatException or UnauthorizedAccessException)
            {
                return 0;
            }
        }
    }

    /// <summary>Starts a worker and waits for its Ready frame.</summary>
    /// <param name="runAsUser">The unprivileged user the worker switches to once connected, or null.</param>
    public static async Task<WorkerProcess> StartAsync(
        EngineSettings settings, string resourceFolder, string? runAsUser, ILogger logger, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("orleansfunc-worker-").FullName;
        if (runAsUser is not null)
        {
            await OsCommands.RunAsync("chown", [$"{runAsUser}:", folder], cancellationToken);
        }
        var socketPath = Path.Combine(folder, "channel.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);

        // setsid: the worker leads its own process group, so a kill reaches everything it forked.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = folder,
        };
        string[] arguments =
        [
            "dotnet", settings.ResolveWorkerPath(), "--socket", socketPath, "--python-library", settings.PythonLibrary,
            "--max-processes", settings.WorkerProcessLimit.ToString(), .. runAsUser is null ? Array.Empty<string>() : ["--run-as-user", runAsUser],
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Workers get a minimal environment: no connection strings, tokens or other secrets of the host.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = folder;
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["DFF_RESOURCE_ROOT"] = resourceFolder;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(dotnetRoot))
        {
            start.Environment["DOTNET_ROOT"] = dotnetRoot;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a Python worker");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                LogWorkerOutput(logger, process.Id, e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.WorkerStartTimeout);
            var connection = await listener.AcceptAsync(timeout.Token);
            var channel = new NetworkStream(connection, ownsSocket: true);
            var ready = await FrameCodec.ReadAsync(channel, timeout.Token);
            if (ready is not { Kind: MessageKind.Ready })
            {
                throw new InvalidOperationException($"The Python worker did not report ready (got {ready?.Kind.ToString() ?? "nothing"})");
            }
            File.Delete(socketPath);
            return new WorkerProcess(process, channel, folder, logger);
        }
        catch
        {
            KillQuietly(process);
            process.Dispose();
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Runs one request. The worker raises a timeout inside Python at <paramref name="timeout"/>;
    /// if it has not answered by <paramref name="timeout"/> + <paramref name="grace"/>, it is killed.
    /// </summary>
    public async Task<WorkerOutcome> RunAsync(
        string requestJson, TimeSpan timeout, TimeSpan grace,
        Func<string, JsonElement, Task<string>> answerCallback, CancellationToken cancellationToken)
    {
        RunCount++;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout + grace);
        using var overMemory = new CancellationTokenSource();
        _overMemory = overMemory;
        try
        {
            return await ConverseAsync(requestJson, grace, answerCallback, deadline, overMemory.Token, cancellationToken);
        }
        finally
        {
            _overMemory = null;
        }
    }

    /// <summary>
    /// Called by the pool's memory monitor: stops the run in progress when the worker is over
    /// <paramref name="limitMb"/>, and marks an idle worker over <paramref name="recycleAboveMb"/> for replacement.
    /// </summary>
    public void EnforceMemoryLimits(int limitMb, int recycleAboveMb)
    {
        var resident = ResidentMb;
        if (_overMemory is { } running && resident > limitMb)
        {
            try
            {
                running.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the run ended meanwhile
            }
        }
        if (resident > recycleAboveMb)
        {
            ShouldRecycle = true;
        }
    }

    /// <summary>The worker grew past the recycling threshold; the pool replaces it after its run.</summary>
    public bool ShouldRecycle { get; private set; }

    private async Task<WorkerOutcome> ConverseAsync(
        string requestJson, TimeSpan grace, Func<string, JsonElement, Task<string>> answerCallback,
        CancellationTokenSource deadline, CancellationToken overMemory, CancellationToken cancellationToken)
    {
        using var registration = overMemory.Register(() => KillQuietly(_process));
        try
        {
            await FrameCodec.WriteAsync(_channel, new Frame(MessageKind.Run, requestJson), deadline.Token);
            while (true)
            {
                var frame = await FrameCodec.ReadAsync(_channel, deadline.Token);
                switch (frame?.Kind)
                {
                    case MessageKind.Result:
                        // The runtime reports "forked": only then is /proc asked whether children are left.
                        LeftProcessesBehind = frame.Value.Body.Contains("\"forked\": true", StringComparison.Ordinal) && HasChildProcesses;
                        return new WorkerOutcome(frame.Value.Body, null, null);
                    case MessageKind.Callback:
                        await AnswerAsync(frame.Value.Body, answerCallback, deadline.Token);
                        break;
                    case null when overMemory.IsCancellationRequested:
                        return await EndAsync(KillReason.MemoryLimit, "its memory went over the limit");
                    case null:
                        return await EndAsync(KillReason.Crashed, await DescribeExitAsync());
                    default:
                        return await EndAsync(KillReason.ProtocolError, $"unexpected frame {frame.Value.Kind}");
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await EndAsync(KillReason.Timeout, $"did not stop within {grace.TotalSeconds:0.#} s after its time limit");
        }
        catch (OperationCanceledException)
        {
            return await EndAsync(KillReason.Cancelled, "the run was cancelled");
        }
        catch (Exception broken) when (broken is IOException or InvalidDataException or SocketException)
        {
            if (overMemory.IsCancellationRequested)
            {
                return await EndAsync(KillReason.MemoryLimit, "its memory went over the limit");
            }
            return _process.HasExited
                ? await EndAsync(KillReason.Crashed, await DescribeExitAsync())
                : await EndAsync(KillReason.ProtocolError, broken.Message);
        }
    }

    /// <summary>Whether the last run left processes behind; such a worker is replaced.</summary>
    public bool LeftProcessesBehind { get; private set; }

    /// <summary>Whether the worker has child processes (alive or not yet reaped).</summary>
    private bool HasChildProcesses
    {
        get
        {
            try
            {
                return File.ReadAllText($"/proc/{ProcessId}/task/{ProcessId}/children").Trim().Length > 0;
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        IsUsable = false;
        KillQuietly(_process);
        await _process.WaitForExitAsync();
        await _channel.DisposeAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file the user script left open; the folder is in the temp directory.
        }
    }

    private async Task AnswerAsync(string callbackJson, Func<string, JsonElement, Task<string>> answer, CancellationToken cancellationToken)
    {
        string reply;
        try
        {
            using var callback = JsonDocument.Parse(callbackJson);
            var value = await answer(callback.RootElement.GetProperty("name").GetString() ?? "", callback.RootElement.GetProperty("args"));
            reply = $"{{\"ok\":true,\"value\":{value}}}";
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            reply = JsonSerializer.Serialize(new { ok = false, error = failure.Message });
        }
        await FrameCodec.WriteAsync(_channel, new Frame(MessageKind.CallbackReply, reply), cancellationToken);
    }

    private async Task<WorkerOutcome> EndAsync(KillReason reason, string detail)
    {
        IsUsable = false;
        KillQuietly(_process);
        await _process.WaitForExitAsync();
        LogKilled(_logger, ProcessId, reason, detail);
        return new WorkerOutcome(null, reason, detail);
    }

    private async Task<string> DescribeExitAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            var code = _process.ExitCode;
            return code > 128 ? $"the worker process was killed by signal {code - 128}" : $"the worker process exited with code {code}";
        }
        catch (OperationCanceledException)
        {
            return "the worker closed its channel";
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            // The whole process group: the worker and anything the script forked.
            ProcessGroups.KillAll(process.Id);
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Python worker {ProcessId}: {Line}")]
    private static partial void LogWorkerOutput(ILogger logger, int processId, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Python worker {ProcessId} ended ({Reason}): {Detail}")]
    private static partial void LogKilled(ILogger logger, int processId, KillReason reason, string detail);
}
