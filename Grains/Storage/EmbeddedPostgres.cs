using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansFunc.Common;

namespace OrleansFunc.Storage;

/// <summary>
/// A private PostgreSQL server run from the machine's binaries inside a data folder: created on
/// first start, reused afterwards, listening only on a Unix socket in its own folder (hidden from
/// scripts by the workers' sandbox, so no script can even reach it; on loopback at a free port
/// when the folder's path is too long for a socket name), password protected, and run as an
/// unprivileged OS user when this process is root (initdb refuses root).
/// </summary>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    public const string DatabaseName = "orleansfunc";
    private const string DatabaseUser = "orleansfunc";

    private readonly string _pgDirectory;
    private readonly string _binDirectory;
    private readonly string? _osUser;
    private readonly ILogger _logger;
    private bool _stopped;

    private EmbeddedPostgres(string pgDirectory, string binDirectory, string? osUser, ILogger logger, string connectionString)
    {
        _pgDirectory = pgDirectory;
        _binDirectory = binDirectory;
        _osUser = osUser;
        _logger = logger;
        ConnectionString = connectionString;
    }

    /// <summary>Npgsql connection string of the running server's database.</summary>
    public string ConnectionString { get; }

    /// <summary>Initialises (first time), starts and waits for the server in <c>&lt;dataFolder&gt;/pg</c>.</summary>
    /// <param name="onLoopback">Listen on 127.0.0.1 instead of the socket: for a server that others reach by address (the tests' shared one, also a data source of their scripts).</param>
    public static async Task<EmbeddedPostgres> StartAsync(
        string dataFolder, string binDirectory, string osUserWhenRoot, ILogger logger, CancellationToken cancellationToken = default, bool onLoopback = false)
    {
        dataFolder = Path.GetFullPath(dataFolder);
        Directory.CreateDirectory(dataFolder);
        var pgDirectory = Path.Combine(dataFolder, "pg");
        var credentialsFile = Path.Combine(dataFolder, "pg-credentials.json");
        var osUser = Environment.IsPrivilegedProcess ? osUserWhenRoot : null;
        if (osUser is not null)
        {
            await OsCommands.EnsureUserAsync(osUser, cancellationToken);
        }

        var runner = new CommandRunner(binDirectory, osUser);
        if (osUser is not null && !await OsCommands.UserCanAsync(osUser, "-x", dataFolder, cancellationToken))
        {
            throw new InvalidOperationException(
                $"The embedded PostgreSQL runs as OS user '{osUser}', who cannot reach the data folder '{dataFolder}': " +
                "give its parent folders o+x, or choose another folder with ORLEANSFUNC_DATA.");
        }
        if (!File.Exists(Path.Combine(pgDirectory, "PG_VERSION")))
        {
            await InitialiseAsync(runner, pgDirectory, credentialsFile, osUser, logger, cancellationToken);
        }
        var password = ReadPassword(credentialsFile);

        // A server left running by a killed process holds the folder: stop it cleanly first.
        if (File.Exists(Path.Combine(pgDirectory, "postmaster.pid")) &&
            (await runner.RunAsync("pg_ctl", ["-D", pgDirectory, "status"], cancellationToken, throwOnFailure: false)).ExitCode == 0)
        {
            LogStoppingOrphan(logger, pgDirectory);
            await runner.RunAsync("pg_ctl", ["-D", pgDirectory, "-m", "fast", "-w", "stop"], cancellationToken);
        }

        var port = FreePorts.Find();
        // sun_path holds 108 bytes with its terminating zero; pg_ctl hands the options to a shell.
        var onSocket = !onLoopback && Encoding.UTF8.GetByteCount(Path.Combine(pgDirectory, $".s.PGSQL.{port}.lock")) < 108 &&
                       !pgDirectory.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '\\' or '$' or '`');
        var host = onSocket ? pgDirectory : "127.0.0.1";
        await runner.RunAsync("pg_ctl",
        [
            "-D", pgDirectory, "-l", Path.Combine(pgDirectory, "server.log"), "-w", "-t", "120",
            "-o", onSocket
                ? $"-c listen_addresses='' -p {port} -c unix_socket_directories='{pgDirectory}' -c unix_socket_permissions=0700"
                : $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories=''",
            "start",
        ], cancellationToken);
        LogStarted(logger, pgDirectory, onSocket ? $"its socket {Path.Combine(pgDirectory, $".s.PGSQL.{port}")}" : $"127.0.0.1:{port}");

        var server = new EmbeddedPostgres(pgDirectory, binDirectory, osUser, logger,
            new NpgsqlConnectionStringBuilder
            {
                Host = host, Port = port, Username = DatabaseUser, Password = password, Database = DatabaseName,
            }.ConnectionString);
        await server.EnsureDatabaseAsync(host, port, password, cancellationToken);
        return server;
    }

    /// <summary>Stops the server (fast shutdown: open sessions end, committed data is kept).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        await new CommandRunner(_binDirectory, _osUser)
            .RunAsync("pg_ctl", ["-D", _pgDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None, throwOnFailure: false);
        LogStopped(_logger, _pgDirectory);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task InitialiseAsync(
        CommandRunner runner, string pgDirectory, string credentialsFile, string? osUser, ILogger logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(pgDirectory);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var passwordFile = Path.Combine(Path.GetTempPath(), $"orleansfunc-pw-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, password + "\n", cancellationToken);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            if (osUser is not null)
            {
                await OsCommands.RunAsync("chown", [$"{osUser}:", pgDirectory, passwordFile], cancellationToken);
            }
            File.SetUnixFileMode(pgDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await runner.RunAsync("initdb",
            [
                "-D", pgDirectory, "-U", DatabaseUser, "--pwfile", passwordFile,
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--no-locale",
            ], cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
        await File.WriteAllTextAsync(credentialsFile, JsonSerializer.Serialize(new { user = DatabaseUser, password }), cancellationToken);
        File.SetUnixFileMode(credentialsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        LogInitialised(logger, pgDirectory);
    }

    private static string ReadPassword(string credentialsFile)
    {
        if (!File.Exists(credentialsFile))
        {
            throw new InvalidOperationException(
                $"The embedded PostgreSQL folder exists but its credentials file '{credentialsFile}' is missing");
        }
        using var document = JsonDocument.Parse(File.ReadAllText(credentialsFile));
        return document.RootElement.GetProperty("password").GetString()!;
    }

    private async Task EnsureDatabaseAsync(string host, int port, string password, CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = host, Port = port, Username = DatabaseUser, Password = password, Database = "postgres", Pooling = false,
        };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Runs the PostgreSQL tools, as the unprivileged user when there is one.</summary>
    private sealed class CommandRunner(string binDirectory, string? osUser)
    {
        public Task<(int ExitCode, string Output)> RunAsync(
            string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnFailure = true)
        {
            var executable = Path.Combine(binDirectory, tool);
            return osUser is null
                ? OsCommands.RunAsync(executable, arguments, cancellationToken, throwOnFailure)
                : OsCommands.RunAsync("runuser", ["-u", osUser, "--", executable, .. arguments], cancellationToken, throwOnFailure);
        }
    }
}
