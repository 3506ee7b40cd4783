using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// A real WebFront or Silo process started from its build output with settings in its environment.
/// Its console output is kept so a failing test can show it.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

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

    public bool HasExited => _process.HasExited;

    /// <summary>The operating system's process ID (to read its <c>/proc</c> entries).</summary>
    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <paramref name="dll"/>; with <paramref name="osUser"/>, as that unprivileged user (the
    /// layout of deploy/systemd), through setpriv, which keeps the environment and execs in place (the
    /// process ID is the host's).
    /// </summary>
    public static HostProcess Start(string dll, IReadOnlyDictionary<string, string> environment, string? osUser = null)
    {
        var start = new ProcessStartInfo(osUser is null ? "dotnet" : "setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        if (osUser is not null)
        {
            foreach (var argument in new[] { $"--reuid={osUser}", $"--regid={osUser}", "--init-groups", "--", "dotnet" })
            {
                start.ArgumentList.Add(argument);
            }
        }
        start.ArgumentList.Add(dll);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        if (osUser is not null)
        {
            // Not root's home and temporary folder: the host's user can neither use them nor should read them.
            start.Environment["HOME"] = start.Environment["DOTNET_CLI_HOME"] = OsUsers.OwnedFolder(osUser, "home");
            start.Environment["TMPDIR"] = OsUsers.OwnedTempFolder(osUser);
        }
        return new HostProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}"));
    }

    /// <summary>Waits until the process has ended by itself and its output is read to the end; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Asks the process to shut down gracefully (SIGTERM) and waits for it.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
        _process.Dispose();
    }

    /// <summary>A port for a test's server to listen on (see <see cref="FreePorts"/>).</summary>
    public static int FreePort() => FreePorts(1);

    /// <summary>
    /// The first of <paramref name="count"/> consecutive ports that nothing listens on, each handed out once per
    /// test run. Taken from 10000-29999: below the OS's ephemeral range (32768 up), which servers use for the
    /// ports they pick themselves (an embedded PostgreSQL's) and outgoing connections for theirs, and below
    /// the ports local-cluster.sh picks (30000 up), so none of those can take a port between its choice and its use.
    /// </summary>
    public static int FreePorts(int count)
    {
        while (true)
        {
            var first = Random.Shared.Next(10000, 30000 - count);
            var ports = Enumerable.Range(first, count).ToList();
            if (ports.All(port => !HandedOut.ContainsKey(port) && IsFree(port)) && ports.All(port => HandedOut.TryAdd(port, 0)))
            {
                return first;
            }
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> HandedOut = new();

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
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
