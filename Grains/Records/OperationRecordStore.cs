using Npgsql;
using OrleansFunc.Common;

namespace OrleansFunc.Records;

/// <summary>The operation-record table (SPEC M7): appended after every change, listed newest first.</summary>
public sealed class OperationRecordStore(NpgsqlDataSource database)
{
    /// <summary>Writes a record before the change is acknowledged, so an acknowledged change is always audited.</summary>
    public async Task AppendAsync(OperationRecord record, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO of_operation_records
                (user_id, username, action, entity_type, entity_id, method, path, status_code, client_ip, trace_id, body_summary,
                 error_code, error_reason)
            VALUES (@userId, @username, @action, @entityType, @entityId, @method, @path, @statusCode, @clientIp, @traceId, @body,
                 @errorCode, @errorReason)
            """);
        command.Parameters.AddWithValue("userId", (object?)record.UserId ?? DBNull.Value);
        command.Parameters.AddWithValue("username", (object?)record.Username ?? DBNull.Value);
        command.Parameters.AddWithValue("action", record.Action);
        command.Parameters.AddWithValue("entityType", record.EntityType);
        command.Parameters.AddWithValue("entityId", (object?)record.EntityId ?? DBNull.Value);
        command.Parameters.AddWithValue("method", record.Method);
        command.Parameters.AddWithValue("path", record.Path);
        command.Parameters.AddWithValue("statusCode", record.StatusCode);
        command.Parameters.AddWithValue("clientIp", (object?)record.ClientIp ?? DBNull.Value);
        command.Parameters.AddWithValue("traceId", (object?)record.TraceId ?? DBNull.Value);
        command.Parameters.AddWithValue("body", NpgsqlTypes.NpgsqlDbType.Text, (object?)record.BodySummary ?? DBNull.Value);
        command.Parameters.AddWithValue("errorCode", NpgsqlTypes.NpgsqlDbType.Double, (object?)record.ErrorCode ?? DBNull.Value);
        command.Parameters.AddWithValue("errorReason", NpgsqlTypes.NpgsqlDbType.Text, (object?)record.ErrorReason ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records newest first; the user filter matches a user ID or a username.</summary>
    public async Task<Page<OperationRecord>> ListAsync(OperationRecordFilter filterBy, PageRequest page, CancellationToken cancellationToken = default)
    {
        const string filter = """
            WHERE (@entityType::text IS NULL OR entity_type = @entityType) AND (@entityId::text IS NULL OR entity_id = @entityId)
              AND (@user::text IS NULL OR user_id = @user OR username = @user)
              AND (@since::timestamptz IS NULL OR time >= @since) AND (@until::timestamptz IS NULL OR time < @until)
            """;
        await using var batch = database.CreateBatch();
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM of_operation_records {filter}");
        var rows = new NpgsqlBatchCommand($"""
            SELECT id, time, user_id, username, action, entity_type, entity_id, method, path, status_code, client_ip, trace_id, body_summary,
                   error_code, error_reason
            FROM of_operation_records {filter} ORDER BY id DESC LIMIT @limit OFFSET @offset
            """);
        foreach (var command in new[] { count, rows })
        {
            command.Parameters.AddWithValue("entityType", NpgsqlTypes.NpgsqlDbType.Text, (object?)filterBy.EntityType ?? DBNull.Value);
            command.Parameters.AddWithValue("entityId", NpgsqlTypes.NpgsqlDbType.Text, (object?)filterBy.EntityId ?? DBNull.Value);
            command.Parameters.AddWithValue("user", NpgsqlTypes.NpgsqlDbType.Text, (object?)filterBy.User ?? DBNull.Value);
            command.Parameters.AddWithValue("since", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)filterBy.Since ?? DBNull.Value);
            command.Parameters.AddWithValue("until", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)filterBy.Until ?? DBNull.Value);
        }
        rows.Parameters.AddWithValue("limit", page.PageSize);
        rows.Parameters.AddWithValue("offset", page.Offset);
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(rows);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = (int)reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<OperationRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new OperationRecord(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7),
                reader.GetString(8),
                reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.IsDBNull(13) ? null : reader.GetDouble(13),
                reader.IsDBNull(14) ? null : reader.GetString(14)));
        }
        return new Page<OperationRecord>(items, total, page);
    }

    /// <summary>Keeps the newest <paramref name="keep"/> records.</summary>
    public async Task<int> PruneAsync(int keep, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            DELETE FROM of_operation_records WHERE id <= (SELECT id FROM of_operation_records ORDER BY id DESC OFFSET @keep LIMIT 1)
            """);
        command.Parameters.AddWithValue("keep", keep);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
