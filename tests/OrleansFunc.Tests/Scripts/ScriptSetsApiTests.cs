using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Scripts;

[Collection(SharedServerCollection.Name)]
public sealed class ScriptSetsApiTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    [Fact]
    public async Task ScriptSet_CreateGetUpdateListDelete_RoundTrips()
    {
        var id = SharedServerFixture.UniqueId("set");
        var created = (await Server.PostAsync("/api/v1/script-sets", new { id, title = "Demo", description = "Things" }, Token)).AssertOk();
        Assert.Equal(id, created.GetProperty("id").GetString());
        Assert.Equal(0, created.GetProperty("scriptCount").GetInt32());

        var updated = (await Server.PatchAsync($"/api/v1/script-sets/{id}", new { title = "Renamed" }, Token)).AssertOk();
        Assert.Equal("Renamed", updated.GetProperty("title").GetString());
        Assert.Equal("Things", updated.GetProperty("description").GetString());

        var fetched = (await Server.GetAsync($"/api/v1/script-sets/{id}", Token)).AssertOk();
        Assert.Equal("Renamed", fetched.GetProperty("title").GetString());
        Assert.Contains(id, await ListIdsAsync());

        (await Server.DeleteAsync($"/api/v1/script-sets/{id}", Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/script-sets/{id}", Token)).AssertError(404.41, "EClientNotFound");
        Assert.DoesNotContain(id, await ListIdsAsync());
        (await Server.DeleteAsync($"/api/v1/script-sets/{id}", Token)).AssertError(404.41);
    }

    [Fact]
    public async Task ScriptSet_WithTakenId_Returns409AndKeepsTheFirst()
    {
        var id = SharedServerFixture.UniqueId("dup");
        (await Server.PostAsync("/api/v1/script-sets", new { id, title = "First" }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/script-sets", new { id, title = "Second" }, Token)).AssertError(409.42, "EClientDuplicated");
        Assert.Equal("First", (await Server.GetAsync($"/api/v1/script-sets/{id}", Token)).AssertOk().GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("has-dash")]
    [InlineData("has space")]
    [InlineData("double__underscore")]
    [InlineData("ends_with_")]
    [InlineData("ünïcode")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234x")]
    public async Task ScriptSet_WithInvalidId_Returns400AndCreatesNothing(string id)
    {
        (await Server.PostAsync("/api/v1/script-sets", new { id, title = "Bad" }, Token)).AssertError(400.43, "EClientBadRequest.InvalidId");
        if (id.Length > 0 && !id.Contains(' ') && !id.Contains('/'))
        {
            (await Server.GetAsync($"/api/v1/script-sets/{Uri.EscapeDataString(id)}", Token)).AssertError(404.41);
        }
    }

    [Fact]
    public async Task ScriptSet_WithoutId_Returns400()
    {
        (await Server.PostAsync("/api/v1/script-sets", new { title = "No id" }, Token)).AssertError(400.43);
    }

    [Fact]
    public async Task ScriptSet_WithOverLongTitle_Returns400AndChangesNothing()
    {
        var id = SharedServerFixture.UniqueId("long");
        (await Server.PostAsync("/api/v1/script-sets", new { id, title = new string('t', 257) }, Token)).AssertError(400.43, "EClientBadRequest.FieldTooLong");
        (await Server.GetAsync($"/api/v1/script-sets/{id}", Token)).AssertError(404.41);

        (await Server.PostAsync("/api/v1/script-sets", new { id, title = new string('t', 256) }, Token)).AssertOk();
        (await Server.PatchAsync($"/api/v1/script-sets/{id}", new { title = "x", description = new string('d', 5001) }, Token)).AssertError(400.43);
        Assert.Equal(new string('t', 256), (await Server.GetAsync($"/api/v1/script-sets/{id}", Token)).AssertOk().GetProperty("title").GetString());
    }

    [Fact]
    public async Task ScriptSet_List_IsPagedWithPageInfo()
    {
        for (var i = 0; i < 3; i++)
        {
            (await Server.PostAsync("/api/v1/script-sets", new { id = SharedServerFixture.UniqueId("pg") }, Token)).AssertOk();
        }
        var page = await Server.GetAsync("/api/v1/script-sets?pageSize=2&pageNumber=1", Token);
        page.AssertOk();
        var info = page.Body.GetProperty("pageInfo");
        Assert.Equal(2, info.GetProperty("pageSize").GetInt32());
        Assert.Equal(2, info.GetProperty("count").GetInt32());
        Assert.True(info.GetProperty("totalCount").GetInt32() >= 3);
        Assert.True(info.GetProperty("isFirstPage").GetBoolean());

        (await Server.GetAsync("/api/v1/script-sets?pageSize=0", Token)).AssertError(400.43);
        (await Server.GetAsync("/api/v1/script-sets?pageSize=101", Token)).AssertError(400.43);
        (await Server.GetAsync("/api/v1/script-sets?pageNumber=0", Token)).AssertError(400.43);
        (await Server.GetAsync("/api/v1/script-sets?pageSize=abc", Token)).AssertError(400.43);
    }

    private Task<List<string>> ListIdsAsync() => Server.ListAllIdsAsync("/api/v1/script-sets", Token);
}
