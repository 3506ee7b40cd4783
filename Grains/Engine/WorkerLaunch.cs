using System.Diagnostics;
using OrleansFunc.Common;
using OrleansFunc.Hosting;

namespace OrleansFunc.Engine;

/// <summary>
/// How a worker process is started: its command line, its minimal environment (no secrets of the
/// host), and, when <see cref="EngineSettings.Sandbox"/> asks for it, the bubblewrap sandbox around it.
/// </summary>
public sealed class WorkerLaunch
{
    private readonly EngineSettings _settings;
    private readonly string? _runAsUser;
    private readonly string _dataFolder;
    private readonly string _resourceFolder;
    private readonly string _uploadFolder;
    private readonly string _workerProgramFolder;

    private WorkerLaunch(EngineSettings settings, string? runAsUser, OrleansFuncOptions options)
    {
        _settings = settings;
        _runAsUser = runAsUser;
        _dataFolder = Path.GetFullPath(options.DataFolder);
        _resourceFolder = options.ResourceFolder;
        _uploadFolder = options.UploadFolder;
        _workerProgramFolder = Path.GetDirectoryName(Path.GetFullPath(settings.ResolveWorkerPath()))!;
    }

    /// <summary>
    /// The launch for this host. A sandbox that was asked for but cannot work here stops the start
    /// with the reason: running without it would be a silent downgrade.
    /// </summary>
    public static async Task<WorkerLaunch> PrepareAsync(OrleansFuncOptions options, string? runAsUser, CancellationToken cancellationToken)
    {
        if (options.Engine.Sandbox == WorkerSandbox.Bubblewrap && await SandboxProblemAsync(cancellationToken) is { } problem)
        {
            throw new InvalidOperationException(
                "OrleansFunc:Engine:Sandbox is Bubblewrap, but bwrap cannot start a sandbox here (install the Debian package " +
                $"bubblewrap; it needs user or mount namespaces): {problem}");
        }
        return new WorkerLaunch(options.Engine, runAsUser, options);
    }

    /// <summary>
    /// Starts an empty sandbox; null when that works. A failure is tried again twice: one probe that
    /// ended without a word (once seen on a busy CI machine, exit code unknown) must not stop the host,
    /// while a host without bwrap or namespaces fails every time, with bwrap's own message.
    /// </summary>
    private static async Task<string?> SandboxProblemAsync(CancellationToken cancellationToken)
    {
        string? problem = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                var probe = await OsCommands.RunAsync("bwrap", [.. BubblewrapIsolation, "--ro-bind", "/", "/", "--proc", "/proc", "--", "true"],
                    cancellationToken, throwOnFailure: false);
                if (probe.ExitCode == 0)
                {
                    return null;
                }
                problem = $"exit code {probe.ExitCode}: {probe.Output.Trim()}";
            }
            catch (System.ComponentModel.Win32Exception missing)
            {
                return missing.Message;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
        return problem;
    }

    /// <summary>The engine settings the workers are started with (program, timeouts).</summary>
    public EngineSettings Settings => _settings;

    /// <summary>The unprivileged OS user the worker switches to once connected, or null (the host is not root).</summary>
    public string? RunAsUser => _runAsUser;

    /// <summary>A worker that connects to <paramref name="socketPath"/>, in <paramref name="folder"/> (its home and working folder).</summary>
    public ProcessStartInfo StartInfo(string socketPath, string folder)
    {
        // setsid: the worker leads its own process group, so a kill reaches everything it forked.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = folder,
        };
        if (_settings.Sandbox == WorkerSandbox.Bubblewrap)
        {
            AddAll(start.ArgumentList, ["bwrap", .. BubblewrapIsolation, .. SandboxView(folder), "--"]);
        }
        AddAll(start.ArgumentList,
        [
            "dotnet", _settings.ResolveWorkerPath(), "--socket", socketPath, "--python-library", _settings.PythonLibrary,
            "--max-processes", _settings.WorkerProcessLimit.ToString(), .. _runAsUser is null ? Array.Empty<string>() : ["--run-as-user", _runAsUser],
        ]);
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = folder;
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["DFF_RESOURCE_ROOT"] = _resourceFolder;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(dotnetRoot))
        {
            start.Environment["DOTNET_ROOT"] = dotnetRoot;
        }
        return start;
    }

    /// <summary>
    /// Own process, IPC and host-name namespaces (the network stays shared: scripts call APIs and
    /// databases); the sandbox ends with the worker's parent.
    /// </summary>
    private static readonly string[] BubblewrapIsolation =
        ["--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"];

    /// <summary>
    /// What the worker sees: the system read-only, private /tmp and /var/tmp, its own folder, and of
    /// the data folder only the resources (<c>.downloads/</c> writable) and the uploads, read-only.
    /// Later mounts cover earlier ones, so the order matters: the worker program's folder is bound
    /// again after the private ones, for a checkout that lives under /tmp (a clone in mktemp -d).
    /// </summary>
    private List<string> SandboxView(string folder) =>
    [
        "--ro-bind", "/", "/",
        "--dev", "/dev",
        "--proc", "/proc",
        "--tmpfs", "/tmp",
        "--tmpfs", "/var/tmp",
        "--tmpfs", _dataFolder,
        "--ro-bind", _workerProgramFolder, _workerProgramFolder,
        "--ro-bind", _resourceFolder, _resourceFolder,
        "--bind", Path.Combine(_resourceFolder, ".downloads"), Path.Combine(_resourceFolder, ".downloads"),
        "--ro-bind", _uploadFolder, _uploadFolder,
        "--bind", folder, folder,
        "--chdir", folder,
    ];

    private static void AddAll(ICollection<string> list, IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            list.Add(item);
        }
    }
}
