using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrleansFunc.Storage;

/// <summary>
/// Brings a database up to date before any host uses it: the vendored Orleans scripts (each applied
/// only when its table is missing) and then our own numbered migrations. An advisory lock makes
/// concurrent starts of several processes safe.
/// </summary>
public static partial class DatabaseBootstrapper
{
    private const long AdvisoryLockKey = 0x4f726c65616e73; // "Orleans"

    /// <summary>Orleans scripts in the order they must run, with the table each one creates.</summary>
    private static readonly (string Script, string Table)[] OrleansScripts =
    [
        ("PostgreSQL-Main", "orleansquery"),
        ("PostgreSQL-Clustering", "orleansmembershiptable"),
        ("PostgreSQL-Persistence", "orleansstorage"),
        ("PostgreSQL-Reminders", "orleansreminderstable"),
    ];

    public static async Task RunAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            foreach (var (script, table) in OrleansScripts)
            {
                if (!await TableExistsAsync(connection, table, cancellationToken))
                {
                    await ApplyInTransactionAsync(connection, ReadResource($"OrleansSql.{script}.sql"), cancellationToken);
                    LogApplied(logger, script);
                }
            }
            await ApplyMigrationsAsync(connection, logger, cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task ApplyMigrationsAsync(NpgsqlConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS of_schema_migrations (
                version INT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """, cancellationToken);
        var applied = new HashSet<int>();
        await using (var read = new NpgsqlCommand("SELECT version FROM of_schema_migrations", connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var (version, name) in ListMigrations().Where(m => !applied.Contains(m.Version)))
        {
            var sql = ReadResource($"Migrations.{name}.sql") +
                      $";\nINSERT INTO of_schema_migrations (version, name) VALUES ({version}, '{name}');";
            await ApplyInTransactionAsync(connection, sql, cancellationToken);
            LogApplied(logger, name);
        }
    }

    /// <summary>Embedded migrations named <c>NNNN_what.sql</c>, ordered by number.</summary>
    private static IEnumerable<(int Version, string Name)> ListMigrations() =>
        typeof(DatabaseBootstrapper).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Migrations.", StringComparison.Ordinal))
            .Select(n => n["Migrations.".Length..^".sql".Length])
            .Select(name => (Version: int.Parse(name[..name.IndexOf('_')]), Name: name))
            .OrderBy(m => m.Version);

    private static async Task<bool> TableExistsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
        command.Parameters.AddWithValue("name", table);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ApplyInTransactionAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded SQL script '{name}' is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
