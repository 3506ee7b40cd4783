using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrleansFunc.Common;
using OrleansFunc.Packages;

namespace OrleansFunc.Records;

/// <summary>The import history: one row per confirmed package import, the newest 1000 kept.</summary>
public sealed class ImportHistoryStore(NpgsqlDataSource database)
{
    private const int Kept = 1000;

    public async Task AppendAsync(ImportRecord record)
    {
        await using var batch = database.CreateBatch();
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO of_import_history (id, import_time, user_id, username, note, restore_point_id, summary)
            VALUES (@id, @time, @userId, @username, @note, @point, @summary)
            """);
        insert.Parameters.AddWithValue("id", record.Id);
        insert.Parameters.AddWithValue("time", record.ImportTime);
        insert.Parameters.AddWithValue("userId", NpgsqlDbType.Text, (object?)record.UserId ?? DBNull.Value);
        insert.Parameters.AddWithValue("username", NpgsqlDbType.Text, (object?)record.Username ?? DBNull.Value);
        insert.Parameters.AddWithValue("note", record.Note);
        insert.Parameters.AddWithValue("point", record.RestorePointId);
        insert.Parameters.AddWithValue("summary", JsonSerializer.Serialize(record.Summary, JsonSerializerOptions.Web));
        var prune = new NpgsqlBatchCommand(
            "DELETE FROM of_import_history WHERE id IN (SELECT id FROM of_import_history ORDER BY import_time DESC, id OFFSET @keep)");
        prune.Parameters.AddWithValue("keep", Kept);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(prune);
        await batch.ExecuteNonQueryAsync();
    }

    public async Task<Page<ImportRecord>> ListAsync(PageRequest page)
    {
        await using var count = database.CreateCommand("SELECT count(*) FROM of_import_history");
        var total = (int)(long)(await count.ExecuteScalarAsync())!;
        await using var rows = database.CreateCommand("""
            SELECT id, import_time, user_id, username, note, restore_point_id, summary
            FROM of_import_history ORDER BY import_time DESC, id LIMIT @limit OFFSET @offset
            """);
        rows.Parameters.AddWithValue("limit", page.PageSize);
        rows.Parameters.AddWithValue("offset", page.Offset);
        var items = new List<ImportRecord>();
        await using var reader = await rows.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            items.Add(new ImportRecord(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                reader.GetString(5), JsonSerializer.Deserialize<List<ImportDiffEntry>>(reader.GetString(6), JsonSerializerOptions.Web) ?? []));
        }
        return new Page<ImportRecord>(items, total, page);
    }
}
