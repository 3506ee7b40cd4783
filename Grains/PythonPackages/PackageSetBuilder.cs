using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Errors;

namespace OrleansFunc.PythonPackages;

/// <summary>A change to the installed packages, checked: the requirement it adds (none for an uninstall) and an uploaded wheel.</summary>
public sealed record PackageChange(PackageOperationKind Kind, string Name, string? Requirement, string? WheelFileName = null, byte[]? Wheel = null);

/// <summary>
/// Builds the next generation of the installed packages with pip, in a private folder, as the workers' user and in
/// their sandbox: the wheels of the current generation plus whatever the change needs from the index (<c>pip wheel</c>),
/// then the whole set installed from those wheels alone into an empty folder (<c>pip install --no-index --target</c>).
/// The installed set is therefore always what its pinned requirements and wheels make, and an uninstall drops the
/// dependencies nothing needs any more. Nothing is changed here: the caller stores the result, or drops it.
/// </summary>
public sealed class PackageSetBuilder(PythonEngine engine)
{
    /// <summary>The longest an operation may take before it is killed (and changes nothing).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(30);

    public sealed record Built(PackageSet Set, byte[] Wheels, byte[] Site);

    public async Task<Built> BuildAsync(PackageSet current, byte[]? currentWheels, PackageChange change, string indexUrl, OperationLog log,
        CancellationToken cancellationToken)
    {
        var launch = engine.Launch;
        var work = WorkerFolder.Create();
        try
        {
            var wheels = Directory.CreateDirectory(Path.Combine(work.Home, "wheels")).FullName;
            var site = Path.Combine(work.Home, "site");
            if (currentWheels is not null)
            {
                using var archive = new ZipArchive(new MemoryStream(currentWheels), ZipArchiveMode.Read);
                archive.ExtractToDirectory(wheels);
            }
            if (change.Wheel is { } upload)
            {
                await File.WriteAllBytesAsync(Path.Combine(wheels, change.WheelFileName!), upload, cancellationToken);
            }
            if (launch.RunAsUser is { } user)
            {
                await OsCommands.RunAsync("chown", ["-R", $"{user}:", work.Home], cancellationToken);
            }
            var requirements = current.Requirements.Where(r => PackageRequirements.NameOf(r) != change.Name).ToList();
            if (change.Requirement is { } added)
            {
                requirements.Add(added);
                await PipAsync(launch, work, log, ["wheel", "--progress-bar", "off", "-w", wheels, "--find-links", wheels, .. IndexOptions(indexUrl), .. requirements],
                    cancellationToken);
            }
            IReadOnlyList<PythonPackage> installed = [];
            if (requirements.Count > 0)
            {
                await PipAsync(launch, work, log,
                    ["install", "--progress-bar", "off", "--no-index", "--find-links", wheels, "--target", site, "--no-compile", .. requirements],
                    cancellationToken);
                // Hash-checked byte code: valid whatever times the unpacked files get on each silo.
                await RunAsync(launch, work, log, ["-m", "compileall", "-q", "--invalidation-mode", "checked-hash", site], null, cancellationToken);
                var listed = new StringBuilder();
                await PipAsync(launch, work, log, ["list", "--path", site, "--format", "json"], cancellationToken, listed);
                installed = Listed(listed.ToString(), requirements);
            }
            else
            {
                Directory.CreateDirectory(site);
            }
            var pinned = requirements.Select(r => Pinned(r, installed)).ToList();
            var used = installed.Select(p => p.Name).ToHashSet();
            var next = new PackageSet(current.Generation + 1, pinned, installed);
            return new Built(next, ZipWheels(wheels, used), ZipFolder(site));
        }
        finally
        {
            Directory.Delete(work.Folder, recursive: true);
        }
    }

    /// <summary>pip's options for the index; an http index (an internal mirror) must be trusted by name, as pip wants.</summary>
    private static string[] IndexOptions(string indexUrl) =>
        indexUrl.Length == 0 ? []
        : new Uri(indexUrl).Scheme == "http" ? ["--index-url", indexUrl, "--trusted-host", new Uri(indexUrl).Host]
        : ["--index-url", indexUrl];

    private static Task PipAsync(WorkerLaunch launch, WorkerFolder work, OperationLog log, string[] arguments, CancellationToken cancellationToken,
        StringBuilder? stdout = null) =>
        RunAsync(launch, work, log,
            ["-m", "pip", .. arguments, "--disable-pip-version-check", "--no-input", "--no-color", "--no-cache-dir", "--timeout", "30", "--retries", "2"],
            stdout, cancellationToken);

    /// <summary>
    /// Runs the interpreter with <paramref name="arguments"/>, every line of its output into <paramref name="log"/> (stdout
    /// into <paramref name="stdout"/> instead, when given); a failure ends the operation with the exit code.
    /// </summary>
    private static async Task RunAsync(WorkerLaunch launch, WorkerFolder work, OperationLog log, string[] arguments, StringBuilder? stdout,
        CancellationToken cancellationToken)
    {
        string[] command = [launch.Settings.PythonProgram, "-I", .. arguments];
        // Members read the output too: an index URL's password is masked, as pip masks it in its own lines.
        log.Line("$ python3 " + string.Join(' ', arguments.Select(a => PackageRequirements.MaskedIndexUrl(a.Replace(work.Home, "~", StringComparison.Ordinal)))));
        var start = launch.ToolStartInfo(work.Folder, work.Home, command);
        using var process = await LaunchThread.StartAsync(start);
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            if (stdout is null)
            {
                log.Line(e.Data);
            }
            else
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                log.Line(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            var what = arguments[1] == "pip" ? $"pip {arguments[2]}" : arguments[1];
            throw DffException.Condition("PipFailed", $"{what} ended with exit code {process.ExitCode} (its output says why)");
        }
    }

    /// <summary>What <c>pip list --format json</c> said, each marked when it was asked for (not only a dependency).</summary>
    private static List<PythonPackage> Listed(string json, IReadOnlyList<string> requirements)
    {
        var requested = requirements.Select(r => PackageRequirements.NameOf(r)).ToHashSet();
        return [.. JsonSerializer.Deserialize<List<JsonElement>>(json)!
            .Select(p => (Name: p.GetProperty("name").GetString()!, Version: p.GetProperty("version").GetString()!))
            .Select(p => new PythonPackage(PackageRequirements.Normalize(p.Name), p.Version, requested.Contains(PackageRequirements.Normalize(p.Name))))
            .OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A requirement pinned to the version pip chose (extras kept): the next change rebuilds exactly this set from the
    /// stored wheels, whatever the index has published since.
    /// </summary>
    private static string Pinned(string requirement, IReadOnlyList<PythonPackage> installed)
    {
        var name = PackageRequirements.NameOf(requirement);
        var package = installed.FirstOrDefault(p => p.Name == name)
            ?? throw DffException.Condition("PipFailed", $"pip installed no package named {name}");
        return $"{name}{PackageRequirements.ExtrasOf(requirement)}=={package.Version}";
    }

    /// <summary>The wheels the installed set came from (stored, not compressed again: a wheel is a zip).</summary>
    private static byte[] ZipWheels(string folder, IReadOnlySet<string> used)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var wheel in Directory.EnumerateFiles(folder, "*.whl"))
            {
                var fileName = Path.GetFileName(wheel);
                if (PackageRequirements.TryWheelOf(fileName) is { } named && used.Contains(named.Name))
                {
                    archive.CreateEntryFromFile(wheel, fileName, CompressionLevel.NoCompression);
                }
            }
        }
        return buffer.ToArray();
    }

    private static byte[] ZipFolder(string folder)
    {
        using var buffer = new MemoryStream();
        ZipFile.CreateFromDirectory(folder, buffer, CompressionLevel.Fastest, includeBaseDirectory: false);
        return buffer.ToArray();
    }
}
