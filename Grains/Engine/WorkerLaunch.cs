using System.Diagnostics;
using OrleansFunc.Common;
using OrleansFunc.Hosting;
using OrleansFunc.PythonPackages;

namespace OrleansFunc.Engine;

/// <summary>
/// How a worker process is started: its command line, its minimal environment (no secrets of the
/// host), its OS user from the first instruction on (Python never initialises with more rights than
/// the scripts get), and, unless the operator accepted unisolated workers, the bubblewrap sandbox
/// around it with <see cref="SeccompFilter"/> loaded.
/// </summary>
public sealed class WorkerLaunch
{
    /// <summary>The file descriptor the seccomp program is handed to bubblewrap on.</summary>
    private const string SeccompFd = "3";

    private readonly EngineSettings _settings;
    private readonly string? _runAsUser;
    private readonly string? _seccompFile;
    private readonly string _dataFolder;
    private readonly string _resourceFolder;
    private readonly string _uploadFolder;
    private readonly string _packageFolder;
    private readonly string _workerProgramFolder;

    private WorkerLaunch(EngineSettings settings, string? runAsUser, string? seccompFile, OrleansFuncOptions options, Func<PackageFolder> packages)
    {
        _settings = settings;
        _packages = packages;
        Cgroups = WorkerCgroups.TryCreate(settings.MemoryLimitMb, settings.WorkerPidsLimit, out var whyNot);
        WhyNoCgroups = whyNot;
        // The silo's own Orleans ports (0 means one chosen at start, not known here).
        int[] ownPorts = [.. new[] { options.Cluster.SiloPort, options.Cluster.GatewayPort }.Where(port => port > 0)];
        OrleansPortsClosed = LandlockPorts.TryCreate(ownPorts, out var whyOpen);
        WhyOrleansPortsOpen = whyOpen;
        _runAsUser = runAsUser;
        _seccompFile = seccompFile;
        _dataFolder = Path.GetFullPath(options.DataFolder);
        _resourceFolder = options.ResourceFolder;
        _uploadFolder = options.UploadFolder;
        _packageFolder = options.PythonPackageFolder;
        _workerProgramFolder = Path.GetDirectoryName(Path.GetFullPath(settings.ResolveWorkerPath()))!;
    }

    /// <summary>
    /// The launch for this host. Workers without a sandbox start only when the operator said so
    /// (<see cref="EngineSettings.AcceptUnisolatedWorkers"/>); a sandbox that cannot work here stops
    /// the start with the reason: running without it would be a silent downgrade.
    /// </summary>
    public static async Task<WorkerLaunch> PrepareAsync(
        OrleansFuncOptions options, string? runAsUser, Func<PackageFolder> packages, CancellationToken cancellationToken)
    {
        var settings = options.Engine;
        if (settings.Sandbox == WorkerSandbox.None)
        {
            if (!settings.AcceptUnisolatedWorkers)
            {
                throw new InvalidOperationException(
                    "OrleansFunc:Engine:Sandbox is None: scripts would run without isolation (they could read each other's runs " +
                    "and every file and process of the workers' OS user). Use Sandbox=Bubblewrap, or set " +
                    "OrleansFunc:Engine:AcceptUnisolatedWorkers=true to accept that risk.");
            }
            return new WorkerLaunch(settings, runAsUser, null, options, packages);
        }
        if (settings.WorkerWritableFolders.FirstOrDefault(folder => !Directory.Exists(folder)) is { } missing)
        {
            throw new InvalidOperationException($"OrleansFunc:Engine:WorkerWritableFolders names '{missing}', which does not exist");
        }
        if (await SandboxProblemAsync(runAsUser, cancellationToken) is { } problem)
        {
            throw new InvalidOperationException(
                "OrleansFunc:Engine:Sandbox is Bubblewrap, but bwrap cannot start a sandbox here (install the Debian package " +
                "bubblewrap; it needs unprivileged user namespaces). To run scripts without isolation instead, set Sandbox=None " +
                $"and AcceptUnisolatedWorkers=true. bwrap said: {problem}");
        }
        return new WorkerLaunch(settings, runAsUser, WriteSeccompProgram(), options, packages);
    }

    /// <summary>
    /// The seccomp program in a file of its own, readable by the host's user only: the launch command
    /// opens it before it gives up its rights (see <see cref="StartInfo"/>).
    /// </summary>
    private static string WriteSeccompProgram()
    {
        var folder = Directory.CreateTempSubdirectory("orleansfunc-seccomp-").FullName;
        var path = Path.Combine(folder, "workers.bpf");
        File.WriteAllBytes(path, SeccompFilter.Program());
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return path;
    }

    /// <summary>
    /// Starts an empty sandbox the way workers are started (as their user); null when that works. A
    /// failure is tried again twice: one probe that ended without a word (once seen on a busy CI
    /// machine, exit code unknown) must not stop the host, while a host without bwrap or user
    /// namespaces fails every time, with bwrap's own message.
    /// </summary>
    private static async Task<string?> SandboxProblemAsync(string? runAsUser, CancellationToken cancellationToken)
    {
        string? problem = null;
        string[] probe = [.. AsUser(runAsUser), "bwrap", .. BubblewrapIsolation, "--ro-bind", "/", "/", "--proc", "/proc", "--", "true"];
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                var outcome = await OsCommands.RunAsync(probe[0], probe[1..], cancellationToken, throwOnFailure: false);
                if (outcome.ExitCode == 0)
                {
                    return null;
                }
                problem = $"exit code {outcome.ExitCode}: {outcome.Output.Trim()}";
            }
            catch (System.ComponentModel.Win32Exception missing)
            {
                return missing.Message;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
        return problem;
    }

    private readonly Func<PackageFolder> _packages;

    /// <summary>The installed Python packages workers started now get.</summary>
    public PackageFolder CurrentPackages => _packages();

    /// <summary>The engine settings the workers are started with (program, timeouts).</summary>
    public EngineSettings Settings => _settings;

    /// <summary>The unprivileged OS user workers run as (the host runs as root), or null: they run as the host's user.</summary>
    public string? RunAsUser => _runAsUser;

    /// <summary>The kernel's limits around each worker, or null (see <see cref="WhyNoCgroups"/>).</summary>
    public WorkerCgroups? Cgroups { get; }

    /// <summary>Why workers have no cgroups here, when they have none.</summary>
    public string? WhyNoCgroups { get; }

    /// <summary>The Landlock ruleset that keeps workers from connecting to this silo's Orleans ports, or null.</summary>
    public LandlockPorts? OrleansPortsClosed { get; }

    /// <summary>Why workers can connect to the Orleans ports (they still need the cluster's certificate), when they can.</summary>
    public string? WhyOrleansPortsOpen { get; }

    /// <summary>Whether workers start in the bubblewrap sandbox.</summary>
    public bool Sandboxed => _seccompFile is not null;

    /// <summary>
    /// A worker that connects to <paramref name="socketPath"/>, living in <paramref name="home"/> (its
    /// home and working folder) inside <paramref name="folder"/>, the worker's private folder, and
    /// joins <paramref name="cgroup"/> (if any) before anything of it runs. It adds <paramref name="packages"/>
    /// (the installed Python packages, if any) to its path.
    /// </summary>
    public ProcessStartInfo StartInfo(string socketPath, string folder, string home, WorkerCgroup? cgroup, PackageFolder packages)
    {
        string[] worker =
        [
            "dotnet", _settings.ResolveWorkerPath(), "--socket", socketPath, "--python-library", _settings.PythonLibrary,
            "--max-processes", _settings.WorkerProcessLimit.ToString(),
            .. packages.Path is { } site ? new[] { "--packages", site } : [],
        ];
        var start = Isolated(folder, home, cgroup, worker);
        start.Environment["DFF_RESOURCE_ROOT"] = _resourceFolder;
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        // A 4 MiB allocation budget between collections: the default follows the cache size the machine reports (300 MiB
        // of L3 on some VMs), so a busy worker touched some 90 MiB of fresh heap before its first collection and kept it.
        start.Environment["DOTNET_GCgen0size"] = "0x400000";
        // No diagnostic IPC socket (it would bind and listen, which the seccomp program refuses) and
        // nothing for another process to attach to.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(dotnetRoot))
        {
            start.Environment["DOTNET_ROOT"] = dotnetRoot;
        }
        return start;
    }

    /// <summary>
    /// A command of the host's (pip installing packages) run as the workers are: their user, their sandbox, nothing of
    /// the host's environment, and only <paramref name="home"/> (inside <paramref name="folder"/>) to write to. A
    /// package's build code runs with no more rights than the scripts that will import it.
    /// </summary>
    public ProcessStartInfo ToolStartInfo(string folder, string home, IEnumerable<string> command) => Isolated(folder, home, null, command);

    private ProcessStartInfo Isolated(string folder, string home, WorkerCgroup? cgroup, IEnumerable<string> command)
    {
        // setsid: the process leads its own process group, so a kill reaches everything it forked.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = home,
        };
        if (_seccompFile is not null || cgroup is not null)
        {
            // The shell joins the cgroups and opens the seccomp program on fd 3 while it still has the
            // host's rights, then becomes the rest of the command line: the worker's user need not be
            // able to read the program, and nothing of the worker runs outside its groups.
            var openProgram = _seccompFile is null ? "" : $" {SeccompFd}<\"$0\"";
            AddAll(start.ArgumentList,
            [
                "sh", "-c", $"while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"{openProgram}",
                _seccompFile ?? "-", .. cgroup?.ProcsFiles ?? [], "--",
            ]);
        }
        AddAll(start.ArgumentList, AsUser(_runAsUser));
        if (_seccompFile is not null)
        {
            AddAll(start.ArgumentList, ["bwrap", .. BubblewrapIsolation, "--seccomp", SeccompFd, .. SandboxView(folder, home), "--"]);
        }
        AddAll(start.ArgumentList, [.. OrleansPortsClosed?.ApplyThenExec() ?? [], .. command]);
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = home;
        start.Environment["LANG"] = "C.UTF-8";
        return start;
    }

    /// <summary>
    /// The start of a command line that runs the rest as <paramref name="user"/> (nothing when the
    /// workers keep the host's user): no supplementary groups, and no way back to more rights
    /// (no_new_privs), before any code of the worker runs.
    /// </summary>
    private static string[] AsUser(string? user) =>
        user is null ? [] : ["setpriv", $"--reuid={user}", $"--regid={user}", "--clear-groups", "--no-new-privs", "--"];

    /// <summary>
    /// An unprivileged user namespace (bwrap is never started as root: the worker's user is set
    /// before) in which no further namespace can be made, and its own process, IPC and host-name
    /// namespaces. The network stays shared: scripts call APIs and databases; <see cref="SeccompFilter"/>
    /// keeps them from serving on it. The sandbox ends with the worker's parent.
    /// </summary>
    private static readonly string[] BubblewrapIsolation =
        ["--unshare-user", "--disable-userns", "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"];

    /// <summary>Each private temporary folder's size: a script cannot fill the host's memory with files.</summary>
    private string TmpBytes => ((long)_settings.WorkerTmpMb * 1024 * 1024).ToString();

    /// <summary>
    /// What the worker sees: the system read-only, private /tmp and /var/tmp, its own folder, and of
    /// the data folder only the resources (<c>.downloads/</c> writable), the uploads and the installed Python
    /// packages, read-only.
    /// Later mounts cover earlier ones, so the order matters: the worker program's folder is bound
    /// again after the private ones, for a checkout that lives under /tmp (a clone in mktemp -d).
    /// </summary>
    private List<string> SandboxView(string folder, string home) =>
    [
        "--ro-bind", "/", "/",
        "--dev", "/dev",
        "--proc", "/proc",
        "--size", TmpBytes, "--tmpfs", "/tmp",
        "--size", TmpBytes, "--tmpfs", "/var/tmp",
        "--tmpfs", _dataFolder,
        "--ro-bind", _workerProgramFolder, _workerProgramFolder,
        "--ro-bind", _resourceFolder, _resourceFolder,
        "--bind", Path.Combine(_resourceFolder, ".downloads"), Path.Combine(_resourceFolder, ".downloads"),
        "--ro-bind", _uploadFolder, _uploadFolder,
        "--ro-bind", _packageFolder, _packageFolder,
        .. _settings.WorkerWritableFolders.SelectMany(shared => new[] { "--bind", Path.GetFullPath(shared), Path.GetFullPath(shared) }),
        "--bind", folder, folder,
        "--chdir", home,
    ];

    private static void AddAll(ICollection<string> list, IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            list.Add(item);
        }
    }
}
