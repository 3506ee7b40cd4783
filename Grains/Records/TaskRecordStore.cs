using Npgsql;
using NpgsqlTypes;
using OrleansFunc.Common;
using OrleansFunc.Engine;

namespace OrleansFunc.Records;

/// <summary>
/// The task-record table. For asynchronous calls it is also the queue: <see cref="EnqueueAsync"/>
/// persists a task before the caller is answered, <see cref="ClaimAsync"/> hands it to one silo
/// under a lease (a task whose silo died is claimed again when its lease runs out).
/// </summary>
public sealed class TaskRecordStore : IAsyncDisposable
{
    private const string Columns =
        "id, origin, origin_id, func_id, kwargs, timeout_seconds, status, trigger_time, start_time, end_time, cost, print_logs, result, error, func_chain, context, run_after, first_task_id, attempt";

    /// <summary>Writes a queued task (<see cref="AddQueuedTaskParameters"/>); its ID makes a repeat harmless.</summary>
    private const string InsertQueued = """
        INSERT INTO of_task_records
            (id, origin, origin_id, func_id, kwargs, timeout_seconds, status, func_chain, lane, context, trigger_time, run_after,
             first_task_id, attempt)
        VALUES (@id, @origin, @originId, @funcId, @kwargs, @timeout, 'queued', @chain, @lane, @context, coalesce(@trigger, now()), @runAfter,
                @firstTaskId, @attempt)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <summary>Items per round trip of the batched writes, and round trips at once per kind.</summary>
    private const int WriteBatch = 256, WritersPerKind = 2;

    private readonly NpgsqlDataSource database;
    private readonly WriteBatcher<(QueuedTask Task, string DelayKey, string SkippedErrorJson, bool Ahead), string?> _firings;
    private readonly WriteBatcher<TaskCompletion, bool> _completions;
    private readonly WriteBatcher<QueuedTask, bool> _enqueued;

    /// <summary>How long a caller waits for its task to be written while PostgreSQL is away, before it is refused.</summary>
    private static readonly TimeSpan AcknowledgementPatience = TimeSpan.FromSeconds(10);

    public TaskRecordStore(NpgsqlDataSource database)
    {
        this.database = database;
        _firings = new(WriteFiringsAsync, WriteBatch, WritersPerKind);
        _completions = new(WriteCompletionsAsync, WriteBatch, WritersPerKind);
        _enqueued = new(WriteEnqueuedAsync, WriteBatch, WritersPerKind);
    }

    public async ValueTask DisposeAsync()
    {
        await _firings.DisposeAsync();
        await _completions.DisposeAsync();
        await _enqueued.DisposeAsync();
    }

    /// <summary>
    /// Persists a queued task (batched with the others of the moment) before its caller is answered. While PostgreSQL
    /// is away the write is asked again for up to <see cref="AcknowledgementPatience"/> (its ID makes a repeat
    /// harmless); after that the caller is refused, so nothing it was told is queued can be lost.
    /// </summary>
    public async Task EnqueueAsync(QueuedTask task)
    {
        var giveUpAt = DateTime.UtcNow + AcknowledgementPatience;
        for (var wait = TimeSpan.FromMilliseconds(250); ; wait *= 2)
        {
            try
            {
                await _enqueued.WriteAsync(task);
                return;
            }
            catch (Exception failure) when (failure is NpgsqlException or TimeoutException && DateTime.UtcNow + wait < giveUpAt)
            {
                await Task.Delay(wait);
            }
        }
    }

    private async Task<IReadOnlyList<bool>> WriteEnqueuedAsync(IReadOnlyList<QueuedTask> queued)
    {
        await using var batch = database.CreateBatch(queued, InsertQueued, AddQueuedTaskParameters);
        await batch.ExecuteNonQueryAsync();
        return queued.Select(_ => true).ToList();
    }

    /// <summary>
    /// Queues the run of one crontab firing, whose ID names the config, minute and delay: a firing
    /// queued once is never queued again (a restart, another silo or a moved grain cannot repeat it).
    /// While an earlier scheduled run of the same config and delay still waits or runs, the firing is
    /// recorded as skipped instead. Returns the recorded status, or null when the firing was recorded before.
    /// </summary>
    public Task<string?> EnqueueCrontabFiringAsync(QueuedTask task, string delayKey, string skippedErrorJson) =>
        _firings.WriteAsync((task, delayKey, skippedErrorJson, false));

    /// <summary>
    /// Queues a firing ahead of its minute (its run waits for <see cref="QueuedTask.RunAfter"/>), only when no earlier
    /// scheduled run of the config and delay waits or runs: whether it is skipped is decided at its minute instead.
    /// Returns "queued", or null when nothing was written.
    /// </summary>
    public Task<string?> EnqueueCrontabFiringAheadAsync(QueuedTask task, string delayKey) =>
        _firings.WriteAsync((task, delayKey, "", true));

    /// <summary>
    /// The trigger time of the newest scheduled firing of a crontab config on record, whatever its status: IDs
    /// <c>&lt;prefix&gt;&lt;yyyyMMdd&gt;T…</c> (not a run now's or a catch-up's).
    /// </summary>
    public async Task<DateTimeOffset?> LastScheduledFiringAsync(string configId, string idPrefix)
    {
        await using var command = database.CreateCommand("""
            SELECT max(trigger_time) FROM of_task_records
            WHERE origin = ANY(@origins) AND origin_id = @configId
              AND starts_with(id, @prefix) AND substr(id, length(@prefix) + 1, 1) BETWEEN '0' AND '9'
            """);
        command.Parameters.AddWithValue("origins", new[] { TaskOrigin.Crontab.WireName(), TaskOrigin.Integration.WireName() });
        command.Parameters.AddWithValue("configId", configId);
        command.Parameters.AddWithValue("prefix", idPrefix);
        return await command.ExecuteScalarAsync() is DateTime last ? new DateTimeOffset(DateTime.SpecifyKind(last, DateTimeKind.Utc)) : null;
    }

    /// <summary>Removes the tasks <paramref name="ids"/> that still wait (firings queued ahead of a minute that will not come).</summary>
    public async Task DeleteQueuedAsync(IReadOnlyCollection<string> ids)
    {
        await using var command = database.CreateCommand("DELETE FROM of_task_records WHERE id = ANY(@ids) AND status = 'queued'");
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The firings of a minute come together (10,000 configs, 10,000 firings): written in batches.</summary>
    private async Task<IReadOnlyList<string?>> WriteFiringsAsync(IReadOnlyList<(QueuedTask Task, string DelayKey, string SkippedErrorJson, bool Ahead)> firings)
    {
        await using var batch = database.CreateBatch(firings, """
            INSERT INTO of_task_records
                (id, origin, origin_id, func_id, kwargs, timeout_seconds, status, func_chain, lane, context, trigger_time, run_after,
                 first_task_id, attempt, end_time, error)
            SELECT @id, @origin, @originId, @funcId, @kwargs, @timeout, CASE WHEN busy THEN 'skipped' ELSE 'queued' END,
                   @chain, @lane, @context, coalesce(@trigger, now()), @runAfter, @firstTaskId, @attempt,
                   CASE WHEN busy THEN now() END, CASE WHEN busy THEN @skipped END
            FROM (SELECT count(*) > 0 FROM (
                SELECT 1 FROM of_task_records
                WHERE origin = @origin AND origin_id = @originId AND status IN ('queued', 'running')
                  AND context::jsonb ->> 'execMode' = 'crontab' AND context::jsonb ->> 'crontabDelay' = @delayKey
                LIMIT 1) AS waiting) AS previous(busy)
            WHERE NOT (busy AND @ahead)
            ON CONFLICT (id) DO NOTHING
            RETURNING status
            """, (parameters, firing) =>
        {
            AddQueuedTaskParameters(parameters, firing.Task);
            parameters.AddWithValue("delayKey", firing.DelayKey);
            parameters.AddWithValue("skipped", firing.SkippedErrorJson);
            parameters.AddWithValue("ahead", firing.Ahead);
        });
        var statuses = new List<string?>(firings.Count);
        await using var reader = await batch.ExecuteReaderAsync();
        do
        {
            statuses.Add(await reader.ReadAsync() ? reader.GetString(0) : null);
        }
        while (await reader.NextResultAsync());
        return statuses;
    }

    /// <summary>Records a firing that was never queued as missed, ended now; once (its ID names the minute).</summary>
    public async Task InsertMissedFiringAsync(QueuedTask task, string errorJson)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO of_task_records
                (id, origin, origin_id, func_id, kwargs, timeout_seconds, status, func_chain, lane, context, trigger_time, run_after,
                 first_task_id, attempt, end_time, error)
            VALUES (@id, @origin, @originId, @funcId, @kwargs, @timeout, 'missed', @chain, @lane, @context, coalesce(@trigger, now()), @runAfter,
                    @firstTaskId, @attempt, now(), @error)
            ON CONFLICT (id) DO NOTHING
            """);
        AddQueuedTaskParameters(command.Parameters, task);
        command.Parameters.AddWithValue("error", errorJson);
        await command.ExecuteNonQueryAsync();
    }

    private static void AddQueuedTaskParameters(NpgsqlParameterCollection parameters, QueuedTask task)
    {
        parameters.AddWithValue("id", task.Id);
        parameters.AddWithValue("origin", task.Origin.WireName());
        parameters.AddWithValue("originId", task.OriginId);
        parameters.AddWithValue("funcId", task.FuncId);
        parameters.AddWithValue("kwargs", task.KwargsJson);
        parameters.AddWithValue("timeout", task.TimeoutSeconds);
        parameters.AddWithValue("chain", task.FuncChainJson);
        parameters.AddWithValue("lane", task.Lane.WireName());
        parameters.AddWithValue("context", StoredContext.Write(task.Crontab, task.OnFailure, task.HttpRequestJson, task.Caller));
        parameters.AddWithValue("trigger", NpgsqlDbType.TimestampTz, (object?)task.TriggerTime ?? DBNull.Value);
        parameters.AddWithValue("runAfter", NpgsqlDbType.TimestampTz, (object?)task.RunAfter ?? DBNull.Value);
        parameters.AddWithValue("firstTaskId", NpgsqlDbType.Text, (object?)task.FirstTaskId ?? DBNull.Value);
        parameters.AddWithValue("attempt", task.Attempt);
    }


    /// <summary>
    /// The oldest waiting tasks (queued, or running under an expired lease), at most <paramref name="limit"/>,
    /// now running for <paramref name="owner"/> under a lease of <paramref name="lease"/>; oldest first.
    /// </summary>
    public async Task<IReadOnlyList<TaskRecord>> ClaimAsync(Lane lane, string owner, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand($"""
            UPDATE of_task_records SET status = 'running', start_time = now(), lease_owner = @owner,
                   lease_expires = now() + make_interval(secs => @lease)
            WHERE id IN (SELECT id FROM of_task_records
                         WHERE lane = @lane AND status IN ('queued', 'running')
                           AND ((status = 'queued' AND (run_after IS NULL OR run_after <= now())) OR lease_expires < now())
                         ORDER BY trigger_time LIMIT @limit FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("lane", lane.WireName());
        command.Parameters.AddWithValue("lease", lease.TotalSeconds);
        command.Parameters.AddWithValue("limit", limit);
        var claimed = new List<TaskRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(Read(reader));
        }
        claimed.Sort((a, b) => a.TriggerTime.CompareTo(b.TriggerTime));
        return claimed;
    }

    /// <summary>
    /// Puts tasks <paramref name="owner"/> claimed and never started back in the queue, as they were before the claim, for
    /// any silo to claim (in their place: the queue's order is their trigger time).
    /// </summary>
    public async Task GiveBackAsync(string owner, IReadOnlyCollection<string> ids)
    {
        await using var command = database.CreateCommand("""
            UPDATE of_task_records SET status = 'queued', start_time = NULL, lease_owner = NULL, lease_expires = NULL
            WHERE id = ANY(@ids) AND lease_owner = @owner AND status = 'running'
            """);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Extends the leases <paramref name="owner"/> holds on the running tasks <paramref name="ids"/> to <paramref name="lease"/> from now.</summary>
    public async Task RenewLeasesAsync(string owner, IReadOnlyCollection<string> ids, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            UPDATE of_task_records SET lease_expires = now() + make_interval(secs => @lease)
            WHERE id = ANY(@ids) AND lease_owner = @owner AND status = 'running'
            """);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        command.Parameters.AddWithValue("lease", lease.TotalSeconds);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Writes how a task ended, and queues what its failure asks for (<see cref="TaskCompletion.Next"/>), batched with the
    /// other completions of the moment: one transaction, so neither is written without the other.
    /// </summary>
    public Task CompleteAsync(TaskCompletion completion) => _completions.WriteAsync(completion);

    private async Task<IReadOnlyList<bool>> WriteCompletionsAsync(IReadOnlyList<TaskCompletion> completions)
    {
        // A batch without error barriers is one implicit transaction: a failed statement rolls back the others.
        await using var batch = database.CreateBatch(completions, $"""
            UPDATE of_task_records SET status = @status, start_time = @start, end_time = @end, cost = @cost, print_logs = @logs,
                   result = @result, error = @error, lease_owner = NULL, lease_expires = NULL,
                   context = {StoredContext.WithoutHttpRequestSql("context")}
            WHERE id = @id
            """, (parameters, c) =>
        {
            parameters.AddWithValue("id", c.Id);
            parameters.AddWithValue("status", c.Status);
            parameters.AddWithValue("start", c.StartTime);
            parameters.AddWithValue("end", c.EndTime);
            parameters.AddWithValue("cost", c.Cost);
            parameters.AddWithValue("logs", string.Join('\n', c.PrintLogs));
            parameters.AddWithValue("result", NpgsqlDbType.Text, (object?)c.ResultJson ?? DBNull.Value);
            parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)c.ErrorJson ?? DBNull.Value);
        });
        foreach (var next in completions.Select(c => c.Next).OfType<QueuedTask>())
        {
            var insert = new NpgsqlBatchCommand(InsertQueued);
            AddQueuedTaskParameters(insert.Parameters, next);
            batch.BatchCommands.Add(insert);
        }
        await batch.ExecuteNonQueryAsync();
        return completions.Select(_ => true).ToList();
    }

    /// <summary>
    /// The newest attempt of the run whose first attempt is <paramref name="firstTaskId"/> (the first itself when it was
    /// never retried; not the error handler's call), or null when there is no such task.
    /// </summary>
    public async Task<TaskRecord?> GetLatestAttemptAsync(string firstTaskId)
    {
        await using var command = database.CreateCommand($"""
            SELECT {Columns} FROM of_task_records
            WHERE id = @id OR (first_task_id = @id AND origin <> @handler)
            ORDER BY attempt DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("id", firstTaskId);
        command.Parameters.AddWithValue("handler", TaskOrigin.ErrorHandler.WireName());
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>Every record of the run whose first attempt is <paramref name="firstTaskId"/>: its attempts, then the error handler's call.</summary>
    public async Task<IReadOnlyList<TaskRecord>> ListAttemptsAsync(string firstTaskId)
    {
        await using var command = database.CreateCommand($"""
            SELECT {Columns} FROM of_task_records WHERE id = @id OR first_task_id = @id
            ORDER BY origin = @handler, attempt, id
            """);
        command.Parameters.AddWithValue("id", firstTaskId);
        command.Parameters.AddWithValue("handler", TaskOrigin.ErrorHandler.WireName());
        var attempts = new List<TaskRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            attempts.Add(Read(reader));
        }
        return attempts;
    }

    /// <summary>Writes finished runs (synchronous calls) in one round trip.</summary>
    public async Task InsertFinishedAsync(IReadOnlyList<TaskRecord> records, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch(records, """
            INSERT INTO of_task_records
                (id, origin, origin_id, func_id, kwargs, timeout_seconds, status, trigger_time, start_time, end_time, cost, print_logs, result, error)
            VALUES (@id, @origin, @originId, @funcId, @kwargs, @timeout, @status, @trigger, @start, @end, @cost, @logs, @result, @error)
            ON CONFLICT (id) DO NOTHING
            """, (parameters, r) =>
        {
            parameters.AddWithValue("id", r.Id);
            parameters.AddWithValue("origin", r.Origin);
            parameters.AddWithValue("originId", r.OriginId);
            parameters.AddWithValue("funcId", r.FuncId);
            parameters.AddWithValue("kwargs", r.KwargsJson);
            parameters.AddWithValue("timeout", r.TimeoutSeconds);
            parameters.AddWithValue("status", r.Status);
            parameters.AddWithValue("trigger", r.TriggerTime);
            parameters.AddWithValue("start", NpgsqlDbType.TimestampTz, (object?)r.StartTime ?? DBNull.Value);
            parameters.AddWithValue("end", NpgsqlDbType.TimestampTz, (object?)r.EndTime ?? DBNull.Value);
            parameters.AddWithValue("cost", NpgsqlDbType.Double, (object?)r.Cost ?? DBNull.Value);
            parameters.AddWithValue("logs", NpgsqlDbType.Text, (object?)r.PrintLogs ?? DBNull.Value);
            parameters.AddWithValue("result", NpgsqlDbType.Text, (object?)r.ResultJson ?? DBNull.Value);
            parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)r.ErrorJson ?? DBNull.Value);
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Keeps the newest <paramref name="keepPerOrigin"/> finished records of each origin (link, batch,
    /// config…) and none older than <paramref name="maxAge"/>; waiting tasks are never removed.
    /// </summary>
    public async Task<int> PruneAsync(int keepPerOrigin, TimeSpan maxAge, TimeSpan batchResultsKeptFor, CancellationToken cancellationToken)
    {
        // Past the count limit, a batch result younger than batchResultsKeptFor stays: its caller may not have fetched it yet.
        await using var command = database.CreateCommand("""
            DELETE FROM of_task_records WHERE status NOT IN ('queued', 'running') AND (
                trigger_time < now() - make_interval(secs => @maxAgeSeconds)
                OR id IN (SELECT id FROM (
                    SELECT id, origin, trigger_time,
                           row_number() OVER (PARTITION BY origin, origin_id ORDER BY trigger_time DESC, id) AS newest
                    FROM of_task_records WHERE status NOT IN ('queued', 'running')) ranked
                    WHERE newest > @keep AND NOT (origin = @batch AND trigger_time > now() - make_interval(secs => @batchSeconds))))
            """);
        command.Parameters.AddWithValue("keep", keepPerOrigin);
        command.Parameters.AddWithValue("maxAgeSeconds", maxAge.TotalSeconds);
        command.Parameters.AddWithValue("batch", Engine.TaskOrigin.Batch.WireName());
        command.Parameters.AddWithValue("batchSeconds", batchResultsKeptFor.TotalSeconds);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Keeps the newest <paramref name="keep"/> finished records of one origin (an entity's own retention limit); records
    /// younger than <paramref name="sparedFor"/> stay whatever the count (batch results their callers may still fetch).
    /// </summary>
    public async Task<int> PruneOriginAsync(TaskOrigin origin, string originId, int keep, CancellationToken cancellationToken,
        TimeSpan? sparedFor = null)
    {
        await using var command = database.CreateCommand("""
            DELETE FROM of_task_records WHERE id IN (
                SELECT id FROM of_task_records
                WHERE origin = @origin AND origin_id = @originId AND status NOT IN ('queued', 'running')
                ORDER BY trigger_time DESC, id OFFSET @keep)
              AND trigger_time <= now() - make_interval(secs => @sparedSeconds)
            """);
        command.Parameters.AddWithValue("origin", origin.WireName());
        command.Parameters.AddWithValue("originId", originId);
        command.Parameters.AddWithValue("keep", keep);
        command.Parameters.AddWithValue("sparedSeconds", (sparedFor ?? TimeSpan.Zero).TotalSeconds);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Tasks queued (due now or later) and running, per lane, with how long the oldest task that is due has waited
    /// past its due time (a firing queued ahead is due at its minute).
    /// </summary>
    public async Task<IReadOnlyList<LaneQueue>> CountWaitingAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            SELECT lane, count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE status = 'running'),
                   count(*) FILTER (WHERE status = 'queued' AND coalesce(run_after, trigger_time) <= now()),
                   coalesce(extract(epoch FROM now() - min(coalesce(run_after, trigger_time))
                       FILTER (WHERE status = 'queued' AND coalesce(run_after, trigger_time) <= now())), 0)::float8
            FROM of_task_records WHERE status IN ('queued', 'running') GROUP BY lane ORDER BY lane
            """);
        var counts = new List<LaneQueue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new LaneQueue(reader.GetString(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3), reader.GetDouble(4)));
        }
        return counts;
    }

    public async Task<TaskRecord?> GetAsync(string id)
    {
        await using var command = database.CreateCommand($"SELECT {Columns} FROM of_task_records WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>The records of <paramref name="origin"/> triggered since <paramref name="since"/>, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<TaskRecord>> ListSinceAsync(TaskOrigin origin, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            $"SELECT {Columns} FROM of_task_records WHERE origin = @origin AND trigger_time >= @since ORDER BY trigger_time DESC, id LIMIT @limit");
        command.Parameters.AddWithValue("origin", origin.WireName());
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("limit", limit);
        var items = new List<TaskRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }
        return items;
    }

    /// <summary>Records newest first, optionally of one origin, origin ID, func and/or status.</summary>
    public async Task<Page<TaskRecord>> ListAsync(TaskRecordFilter which, PageRequest page)
    {
        const string filter = "WHERE (@origin::text IS NULL OR origin = @origin) AND (@originId::text IS NULL OR origin_id = @originId)"
            + " AND (@funcId::text IS NULL OR func_id = @funcId) AND (@status::text IS NULL OR status = @status)";
        await using var count = database.CreateCommand($"SELECT count(*) FROM of_task_records {filter}");
        await using var rows = database.CreateCommand($"SELECT {Columns} FROM of_task_records {filter} ORDER BY trigger_time DESC, id LIMIT @limit OFFSET @offset");
        foreach (var command in new[] { count, rows })
        {
            command.Parameters.AddWithValue("origin", NpgsqlDbType.Text, (object?)which.Origin ?? DBNull.Value);
            command.Parameters.AddWithValue("originId", NpgsqlDbType.Text, (object?)which.OriginId ?? DBNull.Value);
            command.Parameters.AddWithValue("funcId", NpgsqlDbType.Text, (object?)which.FuncId ?? DBNull.Value);
            command.Parameters.AddWithValue("status", NpgsqlDbType.Text, (object?)which.Status ?? DBNull.Value);
        }
        rows.Parameters.AddWithValue("limit", page.PageSize);
        rows.Parameters.AddWithValue("offset", page.Offset);
        var total = (int)(long)(await count.ExecuteScalarAsync())!;
        var items = new List<TaskRecord>();
        await using var reader = await rows.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            items.Add(Read(reader));
        }
        return new Page<TaskRecord>(items, total, page);
    }

    private static TaskRecord Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5), r.GetString(6),
        r.GetFieldValue<DateTimeOffset>(7),
        r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8),
        r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetDouble(10),
        r.IsDBNull(11) ? null : r.GetString(11),
        r.IsDBNull(12) ? null : r.GetString(12),
        r.IsDBNull(13) ? null : r.GetString(13),
        r.GetString(14),
        r.GetString(15),
        r.IsDBNull(16) ? null : r.GetFieldValue<DateTimeOffset>(16),
        r.IsDBNull(17) ? null : r.GetString(17),
        r.GetInt32(18));
}
