using Npgsql;
using OrleansFunc.Common;

namespace OrleansFunc.Records;

/// <summary>The publish history of scripts: one row per publish with the code that went live.</summary>
public sealed class PublishHistoryStore(NpgsqlDataSource database)
{
    public async Task AppendAsync(string scriptId, int publishVersion, string code, string codeMd5, string? note, Actor actor)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO of_script_publish_history (script_id, publish_version, code_md5, code, note, user_id, username)
            VALUES (@scriptId, @version, @md5, @code, @note, @userId, @username)
            """);
        command.Parameters.AddWithValue("scriptId", scriptId);
        command.Parameters.AddWithValue("version", publishVersion);
        command.Parameters.AddWithValue("md5", codeMd5);
        command.Parameters.AddWithValue("code", code);
        command.Parameters.AddWithValue("note", (object?)note ?? DBNull.Value);
        command.Parameters.AddWithValue("userId", actor.UserId);
        command.Parameters.AddWithValue("username", actor.Username);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The publishes of a script, newest first, without their code.</summary>
    public async Task<Page<PublishRecord>> ListAsync(string scriptId, PageRequest page)
    {
        await using var count = database.CreateCommand("SELECT count(*) FROM of_script_publish_history WHERE script_id = @scriptId");
        count.Parameters.AddWithValue("scriptId", scriptId);
        var total = (int)(long)(await count.ExecuteScalarAsync())!;

        await using var command = database.CreateCommand("""
            SELECT id, publish_version, code_md5, note, user_id, username, time
            FROM of_script_publish_history WHERE script_id = @scriptId ORDER BY id DESC LIMIT @limit OFFSET @offset
            """);
        command.Parameters.AddWithValue("scriptId", scriptId);
        command.Parameters.AddWithValue("limit", page.PageSize);
        command.Parameters.AddWithValue("offset", page.Offset);
        await using var reader = await command.ExecuteReaderAsync();
        var items = new List<PublishRecord>();
        while (await reader.ReadAsync())
        {
            items.Add(new PublishRecord(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return new Page<PublishRecord>(items, total, page);
    }

    /// <summary>One publish of the script with the code that went live, or null.</summary>
    public async Task<PublishedVersion?> GetAsync(string scriptId, long id)
    {
        await using var command = database.CreateCommand("""
            SELECT id, publish_version, code_md5, note, user_id, username, time, code
            FROM of_script_publish_history WHERE script_id = @scriptId AND id = @id
            """);
        command.Parameters.AddWithValue("scriptId", scriptId);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new PublishedVersion(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7))
            : null;
    }
}

/// <summary>One publish of a script with its code (for a diff, or to publish it again).</summary>
public sealed record PublishedVersion(
    long Id, int PublishVersion, string CodeMD5, string? Note, string UserId, string Username, DateTimeOffset Time, string Code);

/// <summary>One publish of a script.</summary>
public sealed record PublishRecord(
    long Id, int PublishVersion, string CodeMD5, string? Note, string UserId, string Username, DateTimeOffset Time);
