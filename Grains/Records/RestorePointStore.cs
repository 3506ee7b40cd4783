using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrleansFunc.Common;
using OrleansFunc.Library;

namespace OrleansFunc.Records;

/// <summary>The restore-point table: whole-library snapshots as JSON, the newest kept up to a limit.</summary>
public sealed class RestorePointStore(NpgsqlDataSource database)
{
    public async Task<RestorePointInfo> InsertAsync(string kind, string note, Actor actor, IReadOnlyList<ScriptSetContent> sets, int keep)
    {
        var point = new RestorePointInfo($"rp-{Guid.NewGuid():N}"[..19], DateTimeOffset.UtcNow, kind, note, actor.UserId, actor.Username,
            sets.Count, sets.Sum(s => s.Scripts.Count));
        await using var batch = database.CreateBatch();
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO of_restore_points (id, create_time, kind, note, user_id, username, set_count, script_count, content)
            VALUES (@id, @time, @kind, @note, @userId, @username, @sets, @scripts, @content)
            """);
        insert.Parameters.AddWithValue("id", point.Id);
        insert.Parameters.AddWithValue("time", point.CreateTime);
        insert.Parameters.AddWithValue("kind", kind);
        insert.Parameters.AddWithValue("note", note);
        insert.Parameters.AddWithValue("userId", NpgsqlDbType.Text, (object?)actor.UserId ?? DBNull.Value);
        insert.Parameters.AddWithValue("username", NpgsqlDbType.Text, (object?)actor.Username ?? DBNull.Value);
        insert.Parameters.AddWithValue("sets", point.SetCount);
        insert.Parameters.AddWithValue("scripts", point.ScriptCount);
        insert.Parameters.AddWithValue("content", JsonSerializer.Serialize(sets, JsonSerializerOptions.Web));
        var prune = new NpgsqlBatchCommand("""
            DELETE FROM of_restore_points
            WHERE id IN (SELECT id FROM of_restore_points WHERE kind = @kind ORDER BY create_time DESC, id OFFSET @keep)
            """);
        // Per kind: a day of publishing never pushes out the points an administrator made by hand.
        prune.Parameters.AddWithValue("kind", kind);
        prune.Parameters.AddWithValue("keep", keep);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(prune);
        await batch.ExecuteNonQueryAsync();
        return point;
    }

    public async Task<Page<RestorePointInfo>> ListAsync(PageRequest page)
    {
        await using var count = database.CreateCommand("SELECT count(*) FROM of_restore_points");
        var total = (int)(long)(await count.ExecuteScalarAsync())!;
        await using var rows = database.CreateCommand("""
            SELECT id, create_time, kind, note, user_id, username, set_count, script_count
            FROM of_restore_points ORDER BY create_time DESC, id LIMIT @limit OFFSET @offset
            """);
        rows.Parameters.AddWithValue("limit", page.PageSize);
        rows.Parameters.AddWithValue("offset", page.Offset);
        var items = new List<RestorePointInfo>();
        await using var reader = await rows.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            items.Add(new RestorePointInfo(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt32(6), reader.GetInt32(7)));
        }
        return new Page<RestorePointInfo>(items, total, page);
    }

    /// <summary>The library a point holds, or null when there is no such point.</summary>
    public async Task<IReadOnlyList<ScriptSetContent>?> GetContentAsync(string id)
    {
        await using var command = database.CreateCommand("SELECT content FROM of_restore_points WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync() is string json
            ? JsonSerializer.Deserialize<List<ScriptSetContent>>(json, JsonSerializerOptions.Web)
            : null;
    }
}
