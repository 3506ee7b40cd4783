using Npgsql;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>
/// Entities are written before their listing. A crash between the two writes (before the change
/// is answered) leaves an existing entity unlisted; it lists itself again when it next wakes.
/// </summary>
public sealed class ListingRecoveryTests
{
    [Fact]
    public async Task EntitiesMissingFromTheirListings_AreListedAgainWhenTheyWake()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("listing"), connectionString);
        string token;
        await using (var first = await TestServer.StartAsync(settings))
        {
            token = await first.SetUpAndSignInAsync();
            (await first.PostAsync("/api/v1/script-sets", new { id = "kept" }, token)).AssertOk();
            (await first.PostAsync("/api/v1/scripts", new { id = "kept__main", codeDraft = "@DFF.API('Hi')\ndef hi():\n    return 'hi'\n" }, token)).AssertOk();
            (await first.PostAsync("/api/v1/scripts/kept__main/publish", null, token)).AssertOk();
            (await first.PostAsync("/api/v1/env-variables", new { id = "kept_var", valueTEXT = "1" }, token)).AssertOk();
            (await first.PostAsync("/api/v1/auth-links", new { id = "kept-link", funcId = "kept__main.hi" }, token)).AssertOk();
            await first.Process.StopAsync(TimeSpan.FromSeconds(60));
        }

        // What a crash between the entity writes and the listing writes leaves: the listings lack them.
        Assert.True(await DeleteListingsAsync(connectionString) >= 5, "the listings' entries were not found");

        await using var second = await TestServer.StartAsync(settings with { HttpPort = HostProcess.FreePort() });
        Assert.Empty((await second.GetAsync("/api/v1/env-variables", token)).AssertOk().EnumerateArray());

        // Waking each entity (any use of it) lists it again.
        (await second.GetAsync("/api/v1/env-variables/kept_var", token)).AssertOk();
        (await second.GetAsync("/api/v1/script-sets/kept", token)).AssertOk();
        (await second.GetAsync("/api/v1/scripts/kept__main", token)).AssertOk();
        var call = await second.Http.GetAsync("/api/v1/al/kept-link");
        Assert.Equal("hi", await call.Content.ReadAsStringAsync());

        Assert.Equal(["kept_var"], Ids(await second.GetAsync("/api/v1/env-variables", token)));
        Assert.Equal(["kept"], Ids(await second.GetAsync("/api/v1/script-sets", token)));
        Assert.Equal(["kept__main"], Ids(await second.GetAsync("/api/v1/scripts", token)));
        Assert.Equal(["kept-link"], Ids(await second.GetAsync("/api/v1/auth-links", token)));
        Assert.Equal(["kept__main.hi"], Ids(await second.GetAsync("/api/v1/func-list", token)));
    }

    private static IEnumerable<string> Ids(ApiResponse listing) =>
        listing.AssertOk().EnumerateArray().Select(e => e.GetProperty("id").GetString()!);

    /// <summary>Removes every entry of the listing grains (their rows, see DirectoryEntryStore).</summary>
    private static async Task<int> DeleteListingsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var delete = new NpgsqlCommand(
            "DELETE FROM of_directory_entries", connection);
        return await delete.ExecuteNonQueryAsync();
    }
}
