using OrleansFunc.Common;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// Unprivileged OS users for tests that run a server the way deploy/systemd does (as its own user,
/// not root). The tests run as root, so they can make the user and hand it its folders.
/// </summary>
public static class OsUsers
{
    /// <summary>The server's user of the systemd layout (deploy/systemd says <c>User=orleansfunc</c>).</summary>
    public const string Server = "orleansfunc-test-server";

    /// <summary>Makes <paramref name="user"/> if needed; its ID.</summary>
    public static async Task EnsureAsync(string user) => await OsCommands.EnsureUserAsync(user);

    /// <summary>A new temporary folder owned by <paramref name="user"/> (mode 700).</summary>
    public static string OwnedFolder(string user, string purpose)
    {
        var folder = TestPaths.NewTempFolder(purpose);
        GiveTo(user, folder);
        return folder;
    }

    /// <summary>
    /// A new temporary folder for <paramref name="user"/> with a short name: the server makes its
    /// workers' socket paths below it (at most 108 bytes).
    /// </summary>
    public static string OwnedTempFolder(string user)
    {
        var folder = Directory.CreateTempSubdirectory("u").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception busy) when (busy is IOException or UnauthorizedAccessException)
            {
                // A server of a failed test may still use it; test.sh removes the run's folder.
            }
        };
        GiveTo(user, folder);
        return folder;
    }

    /// <summary>Hands <paramref name="path"/> (and all below it) to <paramref name="user"/>.</summary>
    public static void GiveTo(string user, string path)
    {
        OsCommands.RunAsync("chown", ["-R", $"{user}:{user}", path], CancellationToken.None).GetAwaiter().GetResult();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
