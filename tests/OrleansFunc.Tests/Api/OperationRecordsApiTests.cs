using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Api;

[Collection(SharedServerCollection.Name)]
public sealed class OperationRecordsApiTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    [Fact]
    public async Task EveryChange_IsRecordedWithWhoAndWhat_AndReadsAreNot()
    {
        var id = SharedServerFixture.UniqueId("rec");
        (await Server.PostAsync("/api/v1/script-sets", new { id }, Token)).AssertOk();
        (await Server.PatchAsync($"/api/v1/script-sets/{id}", new { title = "T" }, Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/script-sets/{id}", Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{id}__a" }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{id}__a/publish", null, Token)).AssertOk();
        (await Server.DeleteAsync($"/api/v1/script-sets/{id}", Token)).AssertOk();
        (await Server.PostAsync("/api/v1/script-sets", new { id = "bad id" }, Token)).AssertError(400.43);

        var setRecords = (await Server.GetAsync($"/api/v1/operation-records?entityType=scriptSet&entityId={id}", Token)).AssertOk();
        Assert.Equal(["delete", "modify", "create"], setRecords.EnumerateArray().Select(r => r.GetProperty("action").GetString()!).ToArray());
        var first = setRecords[2];
        Assert.Equal(TestServer.AdminUsername, first.GetProperty("username").GetString());
        Assert.Equal("POST", first.GetProperty("method").GetString());

        var scriptRecords = (await Server.GetAsync($"/api/v1/operation-records?entityType=script&entityId={id}__a", Token)).AssertOk();
        Assert.Equal(["publish", "create"], scriptRecords.EnumerateArray().Select(r => r.GetProperty("action").GetString()!).ToArray());
    }

    [Fact]
    public async Task Records_ArePaged()
    {
        var page = await Server.GetAsync("/api/v1/operation-records?pageSize=1&pageNumber=2", Token);
        Assert.Equal(1, page.AssertOk().GetArrayLength());
        Assert.Equal(2, page.Body.GetProperty("pageInfo").GetProperty("pageNumber").GetInt32());
        Assert.False(page.Body.GetProperty("pageInfo").GetProperty("isFirstPage").GetBoolean());
        (await Server.GetAsync("/api/v1/operation-records?pageSize=1000", Token)).AssertError(400.43);
    }
}
