using System.Security.Cryptography;
using OrleansFunc.Common;

namespace OrleansFunc.Engine;

/// <summary>
/// A worker's private folder in the host's temporary folder: owned by the host's user with mode 711,
/// so that the workers' user can pass through it but not list it; inside, under names nobody can
/// guess, the worker's home (its user's, mode 700) and the socket of its channel. Until the worker is
/// started nothing in it belongs to the workers' user, and no other worker can find it to plant
/// files or to connect first.
/// </summary>
internal sealed record WorkerFolder(string Folder, string Home, string SocketPath)
{
    public static WorkerFolder Create()
    {
        var folder = Directory.CreateTempSubdirectory("orleansfunc-worker-").FullName;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var home = Path.Combine(folder, "home-" + Unguessable(12));
        Directory.CreateDirectory(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new WorkerFolder(folder, home, Path.Combine(folder, "s-" + Unguessable(8)));
    }

    /// <summary>Gives the home and the (bound) socket to the workers' user, when that is not the host's.</summary>
    public async Task HandToAsync(string? user, CancellationToken cancellationToken)
    {
        File.SetUnixFileMode(SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (user is not null)
        {
            await OsCommands.RunAsync("chown", [$"{user}:", Home, SocketPath], cancellationToken);
        }
    }

    // The socket's name is short: a socket path has at most 108 bytes, and the temporary folder may be deep.
    private static string Unguessable(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
