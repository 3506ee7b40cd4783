using Npgsql;

namespace OrleansFunc.Common;

/// <summary>Batches of one statement: many rows written in one round trip.</summary>
public static class NpgsqlBatches
{
    /// <summary>One round trip running <paramref name="sql"/> once per item, its parameters set by <paramref name="bind"/>.</summary>
    public static NpgsqlBatch CreateBatch<T>(this NpgsqlDataSource database, IEnumerable<T> items, string sql, Action<NpgsqlParameterCollection, T> bind)
    {
        var batch = database.CreateBatch();
        foreach (var item in items)
        {
            var command = new NpgsqlBatchCommand(sql);
            bind(command.Parameters, item);
            batch.BatchCommands.Add(command);
        }
        return batch;
    }
}
