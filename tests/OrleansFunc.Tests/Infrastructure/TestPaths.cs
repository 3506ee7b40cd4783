namespace OrleansFunc.Tests.Infrastructure;

/// <summary>Where the built hosts are: the tests run the real WebFront and Silo programs.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Debug or Release, the same as this test build.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string WebFrontDll => HostDll("WebFront");

    public static string SiloDll => HostDll("Silo");

    /// <summary>A new folder that the unprivileged PostgreSQL user can traverse, deleted when the run ends.</summary>
    /// <summary>
    /// One cluster certificate for every server of this test run (as an operator copies one to every host),
    /// so that any of them can form a cluster with any other.
    /// </summary>
    public static string ClusterCertificate => SharedClusterCertificate.Value;

    private static readonly Lazy<string> SharedClusterCertificate = new(() =>
    {
        var path = Path.Combine(NewTempFolder("cluster-tls"), "cluster.pfx");
        OrleansFunc.Common.PrivateFiles.LoadOrCreate(path, OrleansFunc.Hosting.ClusterTls.NewCertificate);
        return path;
    });

    /// <summary>A folder every test server lets its sandboxed scripts write (world-writable).</summary>
    public static string ScriptOutput => SharedScriptOutput.Value;

    private static readonly Lazy<string> SharedScriptOutput = new(() =>
    {
        var folder = NewTempFolder("script-output");
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        return folder;
    });

    public static string NewTempFolder(string purpose)
    {
        var path = NewFolderKeptAtExit(purpose);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // A server of a failed test may still hold it; test.sh stops such servers.
            }
        };
        return path;
    }

    /// <summary>A new traversable folder that the caller deletes itself.</summary>
    public static string NewFolderKeptAtExit(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"orleansfunc-tests-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    private static string HostDll(string project)
    {
        var path = Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", $"{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first; not found", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansFunc.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("OrleansFunc.sln not found above the test folder");
    }
}
