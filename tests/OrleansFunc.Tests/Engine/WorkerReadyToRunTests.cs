using System.Diagnostics;
using System.Reflection.PortableExecutable;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// The worker and pythonnet are precompiled (ReadyToRun) after every build, not only the first (`./run.sh` builds at
/// every start), and in a publish (the container image): a worker of JIT-compiled pythonnet starts about a third later
/// and holds more memory.
/// </summary>
public sealed class WorkerReadyToRunTests
{
    private static readonly string[] WorkerAssemblies = ["PythonWorker.dll", "Python.Runtime.dll"];

    [Fact]
    public async Task AWorkerBuiltTwice_IsStillPrecompiled()
    {
        // A copy of the worker's project with the repository's build files, so that this build shares nothing with the
        // one the tests run from.
        var root = TestPaths.NewTempFolder("worker-build");
        foreach (var file in (string[])["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"])
        {
            File.Copy(Path.Combine(TestPaths.RepositoryRoot, file), Path.Combine(root, file));
        }
        CopyFolder(Path.Combine(TestPaths.RepositoryRoot, "PythonWorker"), Path.Combine(root, "PythonWorker"));
        var output = Path.Combine(root, "PythonWorker", "bin", "Release", "net10.0");

        await DotnetAsync(root, "build");
        Assert.All(WorkerAssemblies, name => Assert.True(IsReadyToRun(Path.Combine(output, name)), $"{name} after the first build"));

        await DotnetAsync(root, "build");
        Assert.All(WorkerAssemblies, name => Assert.True(IsReadyToRun(Path.Combine(output, name)), $"{name} after the second build"));

        // The container image's way: a publish copies pythonnet from its package.
        var published = Path.Combine(root, "published");
        await DotnetAsync(root, "publish", "-o", published);
        Assert.All(WorkerAssemblies, name => Assert.True(IsReadyToRun(Path.Combine(published, name)), $"{name} when published"));
    }

    private static bool IsReadyToRun(string assembly)
    {
        using var reader = new PEReader(File.OpenRead(assembly));
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    private static async Task DotnetAsync(string root, string command, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet", [command, "PythonWorker/PythonWorker.csproj", "-c", "Release", "-nologo", "-clp:ErrorsOnly", .. options])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var build = Process.Start(start)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        Assert.True(build.ExitCode == 0, $"dotnet {command} failed: {await output}{await errors}");
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var folder in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, folder);
            if (relative.Split('/')[0] is not ("bin" or "obj") && !relative.Contains("__pycache__"))
            {
                Directory.CreateDirectory(Path.Combine(to, relative));
            }
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split('/')[0] is not ("bin" or "obj") && !relative.Contains("__pycache__"))
            {
                File.Copy(file, Path.Combine(to, relative));
            }
        }
    }
}
