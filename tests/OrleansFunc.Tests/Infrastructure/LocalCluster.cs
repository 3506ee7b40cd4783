using System.Diagnostics;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// A cluster started by <c>deploy/local-cluster.sh</c> (the script operators use): PostgreSQL, WebFronts,
/// headless silos and HAProxy in front, all on 127.0.0.1 in a folder of their own. Stopped on dispose.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _folder;
    private readonly Dictionary<string, string> _env;

    private LocalCluster(string folder, Dictionary<string, string> env)
    {
        _folder = folder;
        _env = env;
        // Calls may wait in a line behind long runs: a generous client limit, the tests state their own bounds.
        Balancer = new ApiClient(new Uri($"http://127.0.0.1:{env["HAPROXY_PORT"]}"), TimeSpan.FromMinutes(3));
    }

    /// <summary>HAProxy, in front of every WebFront.</summary>
    public ApiClient Balancer { get; }

    /// <summary>WebFront <paramref name="number"/> (from 1), without the load balancer.</summary>
    public ApiClient WebFront(int number) => new(new Uri($"http://127.0.0.1:{_env[$"WEB{number}_HTTP_PORT"]}"));

    /// <summary>The process ID of a part: <c>web1</c>, <c>silo2</c>, ...</summary>
    public int Pid(string part) => int.Parse(_env[$"{part.ToUpperInvariant()}_PID"]);

    /// <summary>How runs name a part's silo (<c>_DFF_SILO</c>).</summary>
    public string SiloName(string part) => $"127.0.0.1:{_env[$"{part.ToUpperInvariant()}_SILO_PORT"]}";

    public string Log(string part) => File.Exists(Path.Combine(_folder, $"{part}.log")) ? File.ReadAllText(Path.Combine(_folder, $"{part}.log")) : "";

    /// <summary>The errors the parts logged (each "fail:" entry with the lines after it), for a failing test to show.</summary>
    public string LoggedFailures() => string.Join("\n", Directory.GetFiles(_folder, "*.log").SelectMany(file =>
    {
        var lines = File.ReadAllLines(file);
        return lines.Select((line, i) => (line, i)).Where(l => l.line.StartsWith("fail:", StringComparison.Ordinal))
            .Select(l => $"{Path.GetFileName(file)}: " + string.Join("\n", lines.Skip(l.i).Take(8)));
    }).Take(6));

    /// <summary>Starts a cluster; <paramref name="settings"/> ("OrleansFunc__Section__Key=value") apply to every host.</summary>
    public static async Task<LocalCluster> StartAsync(int webFronts, int silos, params string[] settings)
    {
        var folder = TestPaths.NewTempFolder("cluster");
        await RunScriptAsync(["start", folder, "--webfronts", webFronts.ToString(), "--silos", silos.ToString(),
            "--port", HostProcess.FreePorts(webFronts + 1).ToString(), "--build", TestPaths.Configuration, .. settings.SelectMany(s => new[] { "--set", s })]);
        var env = File.ReadAllLines(Path.Combine(folder, "cluster.env"))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('\''));
        return new LocalCluster(folder, env);
    }

    /// <summary>Stops a part with SIGTERM (it drains) and starts it again on the same ports; a WebFront is healthy when this returns.</summary>
    public async Task RestartAsync(string part)
    {
        await RunScriptAsync("restart", _folder, part);
        foreach (var line in File.ReadAllLines(Path.Combine(_folder, "cluster.env")).Select(l => l.Split('=', 2)))
        {
            _env[line[0]] = line[1].Trim('\'');
        }
    }

    public async ValueTask DisposeAsync()
    {
        Balancer.Dispose();
        await RunScriptAsync("stop", _folder);
    }

    private static async Task RunScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(TestPaths.RepositoryRoot, "deploy", "local-cluster.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"local-cluster.sh {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }
    }
}
