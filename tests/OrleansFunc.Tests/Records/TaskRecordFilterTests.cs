using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Records;

/// <summary>Task records listed by func and status as well as by origin (a func's runs from every origin; its failures).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class TaskRecordFilterTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Admin => fixture.AdminToken;

    [Fact]
    public async Task AFuncsRuns_AreListedFromEveryOrigin_AndByStatus()
    {
        var set = SharedServerFixture.UniqueId("tr");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Admin)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = "@DFF.API('Maybe')\ndef maybe(fail=False):\n    if fail:\n        raise ValueError('asked to fail')\n    return 'ok'\n" }, Admin)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Admin)).AssertOk();
        var funcId = $"{set}__main.maybe";
        var batch = (await Server.PostAsync("/api/v1/batches", new { funcId, funcCallKwargs = new { fail = "INPUT_BY_CALLER" } }, Admin)).AssertOk().GetProperty("id").GetString();
        var link = (await Server.PostAsync("/api/v1/auth-links", new { funcId, funcCallKwargs = new { fail = "INPUT_BY_CALLER" } }, Admin)).AssertOk().GetProperty("id").GetString();

        (await Server.PostAsync($"/api/v1/bat/{batch}", new { kwargs = new { fail = false } })).AssertOk();
        (await Server.PostAsync($"/api/v1/bat/{batch}", new { kwargs = new { fail = true } })).AssertOk();
        // A failed synchronous call always has its record.
        Assert.Equal(599, (await Server.PostAsync($"/api/v1/al/{link}", new { kwargs = new { fail = true } })).Status);

        var all = await Eventually.ValueAsync("the func's three records", async () =>
            (await Server.GetAsync($"/api/v1/task-records?funcId={funcId}&pageSize=100", Admin)).AssertOk().EnumerateArray().ToList(),
            records => records.Count == 3 && records.All(r => r.GetProperty("status").GetString() is "success" or "failure"));
        Assert.Equal(["authLink", "batch"], all.Select(r => r.GetProperty("origin").GetString()!).Distinct().Order().ToArray());

        var failures = (await Server.GetAsync($"/api/v1/task-records?funcId={funcId}&status=failure", Admin)).AssertOk().EnumerateArray().ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Equal(4, f.GetProperty("error").GetProperty("line").GetInt32()));
        var batchFailures = (await Server.GetAsync($"/api/v1/task-records?origin=batch&originId={batch}&status=failure", Admin)).AssertOk();
        Assert.Equal(1, batchFailures.GetArrayLength());
        (await Server.GetAsync("/api/v1/task-records?status=sideways", Admin)).AssertError(400.43, "EClientBadRequest.InvalidStatus");
    }
}
