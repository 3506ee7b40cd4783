using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Records;

/// <summary>
/// The task records of failed synchronous calls made while PostgreSQL gives the server no connection are written
/// once it does again, not dropped with the first failed write (slow: a 20 s outage, tagged Cron).
/// </summary>
[Trait("Category", "Cron")]
public sealed class SyncRecordOutageTests
{
    [Fact]
    public async Task FailuresDuringADatabaseOutage_AreRecordedWhenItEnds()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("records-outage"));
        await using var server = await TestServer.StartAsync(settings);
        var token = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/script-sets", new { id = "out" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "out__main", codeDraft = "@DFF.API('Fail')\ndef fail(n):\n    raise ValueError(n)\n" }, token))
            .AssertOk();
        (await server.PostAsync("/api/v1/scripts/out__main/publish", null, token)).AssertOk();
        (await server.PostAsync("/api/v1/auth-links", new { id = "failing", funcId = "out__main.fail" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/al/failing", new { kwargs = new { n = "before" } })).AssertError(599.3);

        await using (var hog = await ConnectionHog.TakeAllAsync(settings.DataFolder))
        {
            // The link and its func are held in memory: the calls run, and their records wait for the database.
            for (var n = 0; n < 5; n++)
            {
                (await server.PostAsync("/api/v1/al/failing", new { kwargs = new { n = $"during {n}" } })).AssertError(599.3);
            }
            await Task.Delay(TimeSpan.FromSeconds(20));
            Assert.True(hog.Held > 10, $"only {hog.Held} connections were held");
        }

        var kwargs = await Eventually.ValueAsync("the records of the calls made during the outage",
            async () => (await server.GetAsync("/api/v1/task-records?origin=authLink&originId=failing&pageSize=100", token)).AssertOk().EnumerateArray()
                .Select(r => r.GetProperty("kwargs").GetProperty("n").GetString()!).Order().ToList(),
            found => found.Count >= 6, TimeSpan.FromSeconds(60));
        Assert.Equal(["before", .. Enumerable.Range(0, 5).Select(n => $"during {n}")], kwargs);
    }
}
