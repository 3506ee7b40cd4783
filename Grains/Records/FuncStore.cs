using Npgsql;
using NpgsqlTypes;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Stores;

namespace OrleansFunc.Records;

/// <summary>
/// <c>DFF.STORE</c> (table <c>of_func_store</c>): JSON values by scope and key, kept until deleted or past their expiry.
/// An expired entry is missing to every reader at once; <see cref="PurgeExpiredAsync"/> removes it later.
/// </summary>
public sealed class FuncStore(NpgsqlDataSource database, TimeProvider clock)
{
    /// <summary>The most characters of a key or scope (DataFlux Func's limit).</summary>
    public const int MaxNameLength = 256;

    /// <summary>The most characters of one value's JSON.</summary>
    public const int MaxValueChars = 10 * 1024 * 1024;

    private const string Live = "(expire_at IS NULL OR expire_at > @now)";

    /// <summary>Writes the value (JSON); with <paramref name="onlyIfMissing"/> only when no live entry has the key. True when written.</summary>
    public async Task<bool> SetAsync(string scope, string key, string valueJson, int? expiresSeconds, bool onlyIfMissing)
    {
        RequireNames(scope, key);
        if (valueJson.Length > MaxValueChars)
        {
            throw DffException.BadRequest("StoreValueTooLarge", $"A DFF.STORE value holds at most {MaxValueChars} characters of JSON");
        }
        if (expiresSeconds is <= 0)
        {
            throw DffException.BadRequest("InvalidStoreExpiry", "DFF.STORE expires must be a positive number of seconds");
        }
        var now = clock.GetUtcNow();
        // An expired entry counts as missing, so not_exists writes over it.
        await using var command = database.CreateCommand($"""
            INSERT INTO of_func_store AS s (scope, key, value_json, expire_at, create_time, update_time)
            VALUES (@scope, @key, @value, @expireAt, @now, @now)
            ON CONFLICT (scope, key) DO UPDATE SET value_json = excluded.value_json, expire_at = excluded.expire_at,
                create_time = CASE WHEN s.expire_at IS NOT NULL AND s.expire_at <= @now THEN @now ELSE s.create_time END,
                update_time = @now
            {(onlyIfMissing ? "WHERE s.expire_at IS NOT NULL AND s.expire_at <= @now" : "")}
            """);
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("value", valueJson);
        command.Parameters.AddWithValue("expireAt", NpgsqlDbType.TimestampTz, expiresSeconds is { } seconds ? now.AddSeconds(seconds) : DBNull.Value);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>The value's JSON, or null when there is no live entry.</summary>
    public async Task<string?> GetAsync(string scope, string key)
    {
        RequireNames(scope, key);
        await using var command = database.CreateCommand($"SELECT value_json FROM of_func_store WHERE scope = @scope AND key = @key AND {Live}");
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>A live entry as the manager shows it, or null.</summary>
    public async Task<FuncStoreEntry?> GetEntryAsync(string scope, string key)
    {
        RequireNames(scope, key);
        await using var command = database.CreateCommand($"""
            SELECT value_json, expire_at, create_time, update_time FROM of_func_store WHERE scope = @scope AND key = @key AND {Live}
            """);
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new FuncStoreEntry(scope, key, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    /// <summary>True when a live entry was deleted.</summary>
    public async Task<bool> DeleteAsync(string scope, string key)
    {
        RequireNames(scope, key);
        await using var command = database.CreateCommand($"DELETE FROM of_func_store WHERE scope = @scope AND key = @key AND {Live}");
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await command.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>The live keys of a scope matching a glob (<c>*</c>, <c>?</c>), in order.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string scope, string pattern)
    {
        RequireNames(scope, "");
        await using var command = database.CreateCommand($"""
            SELECT key FROM of_func_store WHERE scope = @scope AND key LIKE @pattern ESCAPE '\' AND {Live} ORDER BY key COLLATE "C"
            """);
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("pattern", LikePattern(pattern));
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }

    /// <summary>Live entries for the manager: of one scope (or every scope), keys matching a glob, by scope and key.</summary>
    public async Task<Page<FuncStoreEntry>> ListAsync(string? scope, string? pattern, PageRequest page)
    {
        var where = $"WHERE {Live} AND key LIKE @pattern ESCAPE '\\'" + (string.IsNullOrEmpty(scope) ? "" : " AND scope = @scope");
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT count(*) FROM of_func_store {where}"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT scope, key, value_json, expire_at, create_time, update_time FROM of_func_store {where}
            ORDER BY scope COLLATE "C", key COLLATE "C" LIMIT @limit OFFSET @offset
            """));
        foreach (var command in batch.BatchCommands.Cast<NpgsqlBatchCommand>())
        {
            command.Parameters.AddWithValue("now", clock.GetUtcNow());
            command.Parameters.AddWithValue("pattern", LikePattern(string.IsNullOrEmpty(pattern) ? "*" : pattern));
            command.Parameters.AddWithValue("scope", scope ?? "");
            command.Parameters.AddWithValue("limit", page.PageSize);
            command.Parameters.AddWithValue("offset", page.Offset);
        }
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        var total = (int)reader.GetInt64(0);
        await reader.NextResultAsync();
        var items = new List<FuncStoreEntry>();
        while (await reader.ReadAsync())
        {
            items.Add(new FuncStoreEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return new Page<FuncStoreEntry>(items, total, page);
    }

    /// <summary>Removes the entries past their expiry (readers stopped seeing them at once).</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("DELETE FROM of_func_store WHERE expire_at <= @now");
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void RequireNames(string scope, string key)
    {
        if (scope.Length is 0 or > MaxNameLength || key.Length > MaxNameLength)
        {
            throw DffException.BadRequest("InvalidStoreName", $"A DFF.STORE scope (not empty) and key have at most {MaxNameLength} characters");
        }
    }

    /// <summary>A glob as a LIKE pattern: <c>*</c> any run, <c>?</c> one character, everything else literal.</summary>
    private static string LikePattern(string glob) =>
        string.Concat(glob.Select(c => c switch
        {
            '*' => "%",
            '?' => "_",
            '%' or '_' or '\\' => "\\" + c,
            _ => c.ToString(),
        }));
}
