using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrleansFunc.PythonPackages;

/// <summary>A generation of the installed packages: what was asked for (pinned) and what pip installed.</summary>
public sealed record PackageSet(long Generation, IReadOnlyList<string> Requirements, IReadOnlyList<PythonPackage> Packages)
{
    public static readonly PackageSet Empty = new(0, [], []);
}

/// <summary>The package tables (migration 0015): generations with their wheels and installed folder, and uploaded wheels.</summary>
public sealed class PythonPackageStore(NpgsqlDataSource database)
{
    /// <summary>Generations kept besides the newest: a silo that read the one before still finds it.</summary>
    private const int OlderKept = 2;

    /// <summary>The newest generation's number (0: nothing was ever installed).</summary>
    public async Task<long> NewestGenerationAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("SELECT coalesce(max(generation), 0) FROM of_python_package_sets");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The newest generation without its files.</summary>
    public async Task<PackageSet> NewestAsync()
    {
        await using var command = database.CreateCommand(
            "SELECT generation, requirements, packages FROM of_python_package_sets ORDER BY generation DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new PackageSet(reader.GetInt64(0),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(1))!,
                JsonSerializer.Deserialize<List<PythonPackage>>(reader.GetString(2), JsonSerializerOptions.Web)!)
            : PackageSet.Empty;
    }

    /// <summary>The wheels (a zip) of a generation: the next one is built from them without the index.</summary>
    public Task<byte[]?> WheelsAsync(long generation) => FileAsync("wheels", generation, CancellationToken.None);

    /// <summary>The installed folder (a zip) of a generation, or null when it is gone (a newer one replaced it).</summary>
    public Task<byte[]?> SiteAsync(long generation, CancellationToken cancellationToken) => FileAsync("site", generation, cancellationToken);

    private async Task<byte[]?> FileAsync(string column, long generation, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand($"SELECT {column} FROM of_python_package_sets WHERE generation = @generation");
        command.Parameters.AddWithValue("generation", generation);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <summary>
    /// Makes <paramref name="set"/> the newest generation, unless another one took its number first (false: nothing
    /// changed), and drops the uploaded wheel it used; older generations beyond a few go.
    /// </summary>
    public async Task<bool> CommitAsync(PackageSet set, byte[] wheels, byte[] site, long? uploadId)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction);
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO of_python_package_sets (generation, create_time, requirements, packages, wheels, site)
            VALUES (@generation, now(), @requirements, @packages, @wheels, @site) ON CONFLICT (generation) DO NOTHING
            """);
        insert.Parameters.AddWithValue("generation", set.Generation);
        insert.Parameters.AddWithValue("requirements", JsonSerializer.Serialize(set.Requirements));
        insert.Parameters.AddWithValue("packages", JsonSerializer.Serialize(set.Packages, JsonSerializerOptions.Web));
        insert.Parameters.AddWithValue("wheels", NpgsqlDbType.Bytea, wheels);
        insert.Parameters.AddWithValue("site", NpgsqlDbType.Bytea, site);
        batch.BatchCommands.Add(insert);
        var prune = new NpgsqlBatchCommand("DELETE FROM of_python_package_sets WHERE generation < @oldest");
        prune.Parameters.AddWithValue("oldest", set.Generation - OlderKept);
        batch.BatchCommands.Add(prune);
        if (uploadId is { } id)
        {
            batch.BatchCommands.Add(DeleteUploadCommand(id));
        }
        await batch.ExecuteNonQueryAsync();
        if (insert.RecordsAffected != 1)
        {
            await transaction.RollbackAsync();
            return false;
        }
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>Stores an uploaded wheel until its install ends; answers its ID.</summary>
    public async Task<long> SaveUploadAsync(string fileName, Stream content, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO of_python_package_uploads (file_name, create_time, content) VALUES (@name, now(), @content) RETURNING id
            """);
        command.Parameters.AddWithValue("name", fileName);
        command.Parameters.Add(new NpgsqlParameter("content", NpgsqlDbType.Bytea) { Value = content });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<byte[]?> UploadAsync(long id)
    {
        await using var command = database.CreateCommand("SELECT content FROM of_python_package_uploads WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync() as byte[];
    }

    /// <summary>Drops an upload whose install failed, and uploads older than a day that no install took.</summary>
    public async Task DeleteUploadAsync(long id)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(DeleteUploadCommand(id));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM of_python_package_uploads WHERE create_time < now() - interval '1 day'"));
        await batch.ExecuteNonQueryAsync();
    }

    private static NpgsqlBatchCommand DeleteUploadCommand(long id)
    {
        var delete = new NpgsqlBatchCommand("DELETE FROM of_python_package_uploads WHERE id = @id");
        delete.Parameters.AddWithValue("id", id);
        return delete;
    }
}
