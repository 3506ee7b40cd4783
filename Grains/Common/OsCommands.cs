using System.Diagnostics;

namespace OrleansFunc.Common;

/// <summary>Running system tools, and the unprivileged OS users the platform runs its helpers as.</summary>
public static class OsCommands
{
    /// <summary>Runs a program to its end; throws with its output when it fails and <paramref name="throwOnFailure"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Run from / so that an unprivileged user never needs our working directory.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{fileName}'");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = (await stdout) + (await stderr);
        if (throwOnFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}: {output.Trim()}");
        }
        return (process.ExitCode, output);
    }

    /// <summary>Creates a system user without login or home if it does not exist yet.</summary>
    public static async Task EnsureUserAsync(string user, CancellationToken cancellationToken = default)
    {
        if ((await RunAsync("id", ["-u", user], cancellationToken, throwOnFailure: false)).ExitCode != 0)
        {
            await RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user], cancellationToken);
        }
    }

    /// <summary>Whether <paramref name="user"/> passes <c>test <paramref name="testFlag"/> <paramref name="path"/></c> (-r, -x, ...).</summary>
    public static async Task<bool> UserCanAsync(string user, string testFlag, string path, CancellationToken cancellationToken = default) =>
        (await RunAsync("runuser", ["-u", user, "--", "test", testFlag, path], cancellationToken, throwOnFailure: false)).ExitCode == 0;
}
