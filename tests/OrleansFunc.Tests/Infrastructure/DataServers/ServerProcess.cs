using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using OrleansFunc.Common;

namespace OrleansFunc.Tests.Infrastructure.DataServers;

/// <summary>
/// A data source server (MariaDB, Redis, …) started for the tests from its Debian package: its own
/// folder under the test temp folder, a free loopback port, and the unprivileged test OS user when
/// the tests run as root (several servers refuse root). Stopped when the test run ends; test.sh
/// also stops whatever runs from the run's temp folder, in case the test host is ended abruptly.
/// </summary>
public sealed class ServerProcess
{
    /// <summary>The OS user the test servers run as under root (the embedded PostgreSQL's).</summary>
    public const string OsUserWhenRoot = "orleansfunc";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string folder, int port)
    {
        _process = process;
        Folder = folder;
        Port = port;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Every server started by this test run, for <see cref="StopAll"/>.</summary>
    private static readonly ConcurrentBag<ServerProcess> Running = [];

    // The shared servers serve tests of every collection (a cluster test runs beside the shared-server ones), so they
    // live as long as the test process. The test host may end without running this: test.sh stops what is left.
    static ServerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();

    public string Folder { get; }

    public int Port { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The file in a server's folder naming the test host that started it.</summary>
    private const string OwnerFile = "owner.pid";

    /// <summary>Servers an earlier test host of this temp folder left running, stopped once per run before the first server starts.</summary>
    private static readonly Lazy<int> LeftoversStopped = new(StopLeftovers);

    /// <summary>A new folder for a server, owned by the user it runs as.</summary>
    public static async Task<string> NewFolderAsync(string purpose)
    {
        _ = LeftoversStopped.Value;
        var folder = TestPaths.NewFolderKeptAtExit($"ds-{purpose}");
        await File.WriteAllTextAsync(Path.Combine(folder, OwnerFile), Environment.ProcessId.ToString());
        if (Environment.IsPrivilegedProcess)
        {
            await OsCommands.EnsureUserAsync(OsUserWhenRoot);
            await OsCommands.RunAsync("chown", [$"{OsUserWhenRoot}:", folder], CancellationToken.None);
        }
        return folder;
    }

    /// <summary>Runs a setup program (an initdb-like step) as the server's user, to its end, with its temp files in <paramref name="folder"/>.</summary>
    public static Task RunToEndAsync(string folder, string program, params string[] arguments) =>
        Environment.IsPrivilegedProcess
            ? OsCommands.RunAsync("runuser", ["-u", OsUserWhenRoot, "--", "env", $"TMPDIR={folder}", program, .. arguments], CancellationToken.None)
            : OsCommands.RunAsync("env", [$"TMPDIR={folder}", program, .. arguments], CancellationToken.None);

    /// <summary>Starts the server and waits until <paramref name="port"/> accepts connections.</summary>
    public static async Task<ServerProcess> StartAsync(string folder, int port, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.IsPrivilegedProcess ? "runuser" : "env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        // Temp files in the server's own folder: the test run's TMPDIR is not writable by the server's user.
        var prefix = Environment.IsPrivilegedProcess
            ? new[] { "-u", OsUserWhenRoot, "--", "env", $"TMPDIR={folder}", program }
            : [$"TMPDIR={folder}", program];
        foreach (var argument in prefix)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var server = new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}"), folder, port);
        Running.Add(server);
        await server.WaitListeningAsync(program, TimeSpan.FromSeconds(60));
        return server;
    }

    private async Task WaitListeningAsync(string program, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{program} exited during start ({_process.ExitCode}):\n{Output}");
            }
            if (await AcceptsConnectionsAsync())
            {
                return;
            }
            await Task.Delay(100);
        }
        Stop();
        throw new TimeoutException($"{program} did not listen on port {Port} within {timeout}:\n{Output}");
    }

    /// <summary>
    /// A test host does not always stop its servers when it ends (a developer's targeted runs outside test.sh left MariaDB
    /// servers running after every run): those whose test host is gone are killed, their folders removed.
    /// </summary>
    /// <returns>How many folders were left over.</returns>
    private static int StopLeftovers()
    {
        var leftovers = 0;
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), "orleansfunc-tests-ds-*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            // A folder without its owner file yet may be another run's, just made.
            if (!File.Exists(owner) || int.TryParse(File.ReadAllText(owner), out var pid) && Directory.Exists($"/proc/{pid}"))
            {
                continue;
            }
            leftovers++;
            foreach (var process in ProcessesNaming(folder))
            {
                try
                {
                    using var leftover = Process.GetProcessById(process);
                    leftover.Kill();
                }
                catch (Exception gone) when (gone is ArgumentException or InvalidOperationException)
                {
                    // ended meanwhile
                }
            }
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a server still closing its files: the next run removes it
            }
        }
        return leftovers;
    }

    /// <summary>The processes whose command line names <paramref name="folder"/> (a server and the runuser around it).</summary>
    private static IEnumerable<int> ProcessesNaming(string folder)
    {
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(proc, "cmdline"));
            }
            catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (int.TryParse(Path.GetFileName(proc), out var pid) && commandLine.Contains(folder + "/", StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }

    /// <summary>Stops every server this run started.</summary>
    private static void StopAll()
    {
        while (Running.TryTake(out var server))
        {
            server.Stop();
        }
    }

    /// <summary>Ends the server at once (as a crash would), keeping its folder; returns once its port is closed.</summary>
    public async Task CrashAsync()
    {
        Kill();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await AcceptsConnectionsAsync())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Port {Port} still accepts connections 10 s after its server was killed");
            }
            await Task.Delay(50);
        }
    }

    private void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    private async Task<bool> AcceptsConnectionsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Ends the server and everything it started, then removes its folder.</summary>
    public void Stop()
    {
        try
        {
            Kill();
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Already gone, or a file still held: test.sh removes the run's temp folder.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
