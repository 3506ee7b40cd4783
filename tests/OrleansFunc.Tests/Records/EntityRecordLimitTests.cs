using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Records;

/// <summary>
/// An auth link's and a batch's own <c>taskRecordLimit</c>, as crontab configs have: the retention round keeps that many of
/// their records (a batch's results younger than <c>Engine:BatchResultsKeptFor</c> stay whatever the count).
/// </summary>
public sealed class EntityRecordLimitTests
{
    [Fact]
    public async Task ALinkAndABatch_KeepAsManyRecordsAsTheyAsk_AfterTheRetentionRound()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("limits"), await TestPostgres.CreateDatabaseAsync());
        var environment = new Dictionary<string, string>(settings.ToEnvironment()) { ["OrleansFunc__Engine__BatchResultsKeptFor"] = "00:00:01" };
        await using (var server = await TestServer.StartAsync(settings, environment))
        {
            var token = await server.SetUpAndSignInAsync();
            (await server.PostAsync("/api/v1/script-sets", new { id = "lim" }, token)).AssertOk();
            (await server.PostAsync("/api/v1/scripts", new { id = "lim__main", codeDraft = "@DFF.API('Fail')\ndef fail(n=0):\n    raise ValueError(n)\n" }, token)).AssertOk();
            (await server.PostAsync("/api/v1/scripts/lim__main/publish", null, token)).AssertOk();
            (await server.PostAsync("/api/v1/auth-links", new { id = "link", funcId = "lim__main.fail", taskRecordLimit = 2 }, token)).AssertOk();
            (await server.PostAsync("/api/v1/batches", new { id = "batch", funcId = "lim__main.fail", taskRecordLimit = 3 }, token)).AssertOk();
            (await server.PostAsync("/api/v1/batches", new { id = "bad", funcId = "lim__main.fail", taskRecordLimit = 0 }, token))
                .AssertError(400.43, "EClientBadRequest.InvalidTaskRecordLimit");
            Assert.Equal(2, (await server.GetAsync("/api/v1/auth-links/link", token)).AssertOk().GetProperty("taskRecordLimit").GetInt32());
            for (var n = 0; n < 5; n++)
            {
                Assert.Equal(599, (await server.GetAsync($"/api/v1/al/link/simplified?n={n}")).Status);
                var task = (await server.PostAsync("/api/v1/bat/batch", new { kwargs = new { n } })).AssertOk().GetProperty("taskId").GetString()!;
                await server.WaitForTaskAsync(task, TimeSpan.FromSeconds(60), token);
            }
            await Eventually.HoldsAsync("the five failed link calls recorded", async () =>
                (await server.GetAsync("/api/v1/task-records?origin=authLink&originId=link", token)).AssertOk().GetArrayLength() == 5);
        }

        // Retention runs when a silo starts.
        environment["ORLEANSFUNC_HTTP_PORT"] = HostProcess.FreePort().ToString();
        await using var restarted = await TestServer.StartAsync(settings with { HttpPort = int.Parse(environment["ORLEANSFUNC_HTTP_PORT"]) }, environment);
        var again = await restarted.SignInAsync(TestServer.AdminUsername, TestServer.AdminPassword);
        await Eventually.HoldsAsync("the link's records pruned to 2 and the batch's to 3", async () =>
            (await restarted.GetAsync("/api/v1/task-records?origin=authLink&originId=link", again)).AssertOk().GetArrayLength() == 2
            && (await restarted.GetAsync("/api/v1/task-records?origin=batch&originId=batch", again)).AssertOk().GetArrayLength() == 3);
    }
}
