using Npgsql;
using Orleans.Serialization;

namespace OrleansFunc.Common;

/// <summary>
/// The rows of the listing grains' entries (<c>of_directory_entries</c>): one row per entry, in Orleans' own
/// serialization of the entry type, so a change costs one row whatever the listing's size.
/// </summary>
public sealed class DirectoryEntryStore(NpgsqlDataSource database, Serializer serializer)
{
    public async Task<List<(string Id, T Entry)>> LoadAsync<T>(string listing)
    {
        await using var command = database.CreateCommand("SELECT id, entry FROM of_directory_entries WHERE listing = @listing");
        command.Parameters.AddWithValue("listing", listing);
        var entries = new List<(string, T)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add((reader.GetString(0), serializer.Deserialize<T>(reader.GetFieldValue<byte[]>(1))!));
        }
        return entries;
    }

    /// <summary>Writes the entries (inserted or replaced) in one round trip.</summary>
    public async Task SetAsync<T>(string listing, IEnumerable<(string Id, T Entry)> entries)
    {
        await using var batch = database.CreateBatch(entries, """
            INSERT INTO of_directory_entries (listing, id, entry) VALUES (@listing, @id, @entry)
            ON CONFLICT (listing, id) DO UPDATE SET entry = excluded.entry
            """, (parameters, e) =>
        {
            parameters.AddWithValue("listing", listing);
            parameters.AddWithValue("id", e.Id);
            parameters.AddWithValue("entry", serializer.SerializeToArray(e.Entry));
        });
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync();
        }
    }

    public async Task RemoveAsync(string listing, string id)
    {
        await using var command = database.CreateCommand("DELETE FROM of_directory_entries WHERE listing = @listing AND id = @id");
        command.Parameters.AddWithValue("listing", listing);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync();
    }
}
