using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using OrleansFunc.Tests.Infrastructure;

namespace OrleansFunc.Tests.Platform;

/// <summary>
/// A package index on 127.0.0.1 for the package tests (this machine has none): tiny packages the test writes, built into
/// wheels by Debian's pip (<c>pip wheel --no-build-isolation</c>, with Debian's setuptools), laid out as a simple index
/// (<c>/{project}/{file}</c>) and served by <c>python3 -m http.server</c>, whose folder listings pip reads as index pages.
/// </summary>
public sealed class LocalPackageIndex : IAsyncDisposable
{
    private readonly string _folder = TestPaths.NewTempFolder("pkg-index");
    private Process? _server;

    public string Url { get; private set; } = "";

    private string Served => Path.Combine(_folder, "simple");

    /// <summary>A project with one module: <c>{module}.VALUE</c> is <paramref name="value"/>, and it imports what it depends on.</summary>
    public static (string Name, string Version, string[] Dependencies, string Code) Project(
        string name, string version, string code, params string[] dependencies) => (name, version, dependencies, code);

    /// <summary>Builds a wheel of the project; returns its path (not published: <see cref="Publish"/> does).</summary>
    public async Task<string> BuildWheelAsync((string Name, string Version, string[] Dependencies, string Code) project)
    {
        var source = Path.Combine(_folder, "src", $"{project.Name}-{project.Version}");
        Directory.CreateDirectory(Path.Combine(source, project.Name));
        await File.WriteAllTextAsync(Path.Combine(source, "pyproject.toml"), $"""
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"
            [project]
            name = "{project.Name}"
            version = "{project.Version}"
            dependencies = [{string.Join(", ", project.Dependencies.Select(d => $"\"{d}\""))}]
            [tool.setuptools]
            packages = ["{project.Name}"]
            """);
        await File.WriteAllTextAsync(Path.Combine(source, project.Name, "__init__.py"), project.Code);
        var dist = Path.Combine(_folder, "dist", $"{project.Name}-{project.Version}");
        await RunAsync("/usr/bin/python3", "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index",
            "--disable-pip-version-check", "-w", dist, source);
        return Directory.GetFiles(dist, "*.whl").Single();
    }

    /// <summary>Puts a wheel (or a source archive) on the index under its project's name.</summary>
    public void Publish(string project, string file)
    {
        var folder = Path.Combine(Served, project);
        Directory.CreateDirectory(folder);
        File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
    }

    /// <summary>
    /// A source archive whose in-tree build backend (no setuptools needed) reports, in the error it fails with, who builds
    /// it and whether the files at <paramref name="probedPaths"/> can be seen: what a hostile package's build code could do.
    /// </summary>
    public async Task<string> BuildProbingSdistAsync(string name, params string[] probedPaths)
    {
        var root = Path.Combine(_folder, "sdist", $"{name}-1.0");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "pyproject.toml"), """
            [build-system]
            requires = []
            build-backend = "probe_backend"
            backend-path = ["."]
            """);
        await File.WriteAllTextAsync(Path.Combine(root, "PKG-INFO"), $"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n");
        var probes = string.Join(", ", probedPaths.Select(p => $"'{p}'"));
        await File.WriteAllTextAsync(Path.Combine(root, "probe_backend.py"), $$"""
            import os

            def _report(*args, **kwargs):
                seen = ['%s=%s' % (path, 'seen' if os.path.exists(path) else 'hidden') for path in [{{probes}}]]
                raise SystemExit('PROBE uid=%d %s' % (os.getuid(), ' '.join(seen)))

            get_requires_for_build_wheel = _report
            prepare_metadata_for_build_wheel = _report
            build_wheel = _report
            build_sdist = _report
            """);
        var archive = Path.Combine(_folder, "sdist", $"{name}-1.0.tar.gz");
        await using (var file = File.Create(archive))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            await TarFile.CreateFromDirectoryAsync(root, gzip, includeBaseDirectory: true);
        }
        return archive;
    }

    /// <summary>Serves the index; answers once it does.</summary>
    public async Task StartAsync()
    {
        Directory.CreateDirectory(Served);
        var port = OrleansFunc.Common.FreePorts.Find();
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-m", "http.server", port.ToString(), "--bind", "127.0.0.1", "--directory", Served })
        {
            start.ArgumentList.Add(argument);
        }
        _server = Process.Start(start)!;
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        Url = $"http://127.0.0.1:{port}/";
        using var http = new HttpClient();
        await Eventually.HoldsAsync("the package index to answer", async () =>
        {
            try
            {
                return (await http.GetAsync(Url)).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {await output}{await errors}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
    }
}
