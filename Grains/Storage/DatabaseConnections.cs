using Npgsql;

namespace OrleansFunc.Storage;

/// <summary>One client of the database by its <c>application_name</c> (ours name their host and pool) and its connections now.</summary>
public sealed record ConnectionUse(string Name, int Connections);

/// <summary>The database's client connections as its server counts them (its own background workers left out): its limit and who holds how many (the overview shows it).</summary>
public sealed record DatabaseConnections(int MaxConnections, IReadOnlyList<ConnectionUse> InUse)
{
    public static async Task<DatabaseConnections> ReadAsync(NpgsqlDataSource database, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            SELECT current_setting('max_connections')::int, coalesce(nullif(application_name, ''), '(unnamed)'), count(*)::int
            FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'
            GROUP BY 2 ORDER BY 2
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var maxConnections = 0;
        var inUse = new List<ConnectionUse>();
        while (await reader.ReadAsync(cancellationToken))
        {
            maxConnections = reader.GetInt32(0);
            inUse.Add(new ConnectionUse(reader.GetString(1), reader.GetInt32(2)));
        }
        return new DatabaseConnections(maxConnections, inUse);
    }
}
