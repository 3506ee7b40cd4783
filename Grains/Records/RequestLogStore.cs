using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NpgsqlTypes;
using OrleansFunc.Common;
using OrleansFunc.Hosting;

namespace OrleansFunc.Records;

/// <summary>
/// The request log (slow and failed requests): appended without waiting (a bounded buffer that drops the oldest when
/// the database falls behind, so a flood of errors costs callers nothing), written in batches, and pruned to the newest
/// <see cref="TelemetrySettings.RequestLogKept"/> after each write.
/// </summary>
public sealed class RequestLogStore(NpgsqlDataSource database, OrleansFuncOptions options) : BackgroundService
{
    private const int Buffer = 10_000, MostPerWrite = 256;

    private readonly Channel<RequestLogEntry> _pending = Channel.CreateBounded<RequestLogEntry>(
        new BoundedChannelOptions(Buffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Append(RequestLogEntry entry) => _pending.Writer.TryWrite(entry);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<RequestLogEntry>(MostPerWrite);
        while (await _pending.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MostPerWrite && _pending.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }
            try
            {
                await WriteAsync(batch, stoppingToken);
            }
            catch (Exception failure) when (failure is NpgsqlException or TimeoutException)
            {
                // The database is away: these entries are lost (a log, not a record), later ones are written.
            }
            batch.Clear();
        }
    }

    private async Task WriteAsync(IReadOnlyList<RequestLogEntry> entries, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch(entries, """
            INSERT INTO of_request_log (time, method, path, status_code, cost_ms, slow, trace_id, client_ip, user_id, host)
            VALUES (@time, @method, @path, @status, @cost, @slow, @traceId, @clientIp, @userId, @host)
            """, (parameters, entry) =>
        {
            parameters.AddWithValue("time", entry.Time);
            parameters.AddWithValue("method", entry.Method);
            parameters.AddWithValue("path", entry.Path);
            parameters.AddWithValue("status", entry.StatusCode);
            parameters.AddWithValue("cost", entry.CostMs);
            parameters.AddWithValue("slow", entry.Slow);
            parameters.AddWithValue("traceId", entry.TraceId);
            parameters.AddWithValue("clientIp", NpgsqlDbType.Text, (object?)entry.ClientIp ?? DBNull.Value);
            parameters.AddWithValue("userId", NpgsqlDbType.Text, (object?)entry.UserId ?? DBNull.Value);
            parameters.AddWithValue("host", entry.Host);
        });
        var prune = new NpgsqlBatchCommand("DELETE FROM of_request_log WHERE id <= (SELECT max(id) FROM of_request_log) - @keep");
        prune.Parameters.AddWithValue("keep", (long)options.Telemetry.RequestLogKept);
        batch.BatchCommands.Add(prune);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Entries newest first.</summary>
    public async Task<Page<RequestLogEntry>> ListAsync(RequestLogKind kind, PageRequest page, CancellationToken cancellationToken)
    {
        var filter = kind switch
        {
            RequestLogKind.Slow => "WHERE slow",
            RequestLogKind.Failed => "WHERE status_code >= 400",
            _ => "",
        };
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT count(*) FROM of_request_log {filter}"));
        var rows = new NpgsqlBatchCommand($"""
            SELECT id, time, method, path, status_code, cost_ms, slow, trace_id, client_ip, user_id, host
            FROM of_request_log {filter} ORDER BY id DESC LIMIT @limit OFFSET @offset
            """);
        rows.Parameters.AddWithValue("limit", page.PageSize);
        rows.Parameters.AddWithValue("offset", page.Offset);
        batch.BatchCommands.Add(rows);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = (int)reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<RequestLogEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new RequestLogEntry(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt32(4), reader.GetInt32(5), reader.GetBoolean(6), reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetString(10)));
        }
        return new Page<RequestLogEntry>(items, total, page);
    }
}
