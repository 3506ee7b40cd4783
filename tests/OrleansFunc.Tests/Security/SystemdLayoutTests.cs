using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// The layout of deploy/systemd: the server runs as its own unprivileged user (not root), its
/// embedded PostgreSQL and workers with it. Scripts still run there.
/// </summary>
public sealed class SystemdLayoutTests
{
    [Fact]
    public async Task AServerOfItsOwnUser_RunsScripts()
    {
        await using var server = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder("data")), osUser: OsUsers.Server);
        var token = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/script-sets", new { id = "layout" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "layout__main", codeDraft = "import os\n\ndef whoami():\n    return os.geteuid()\n" }, token)).AssertOk();

        var run = (await server.PostAsync("/api/v1/scripts/layout__main/run", new { funcName = "whoami", kwargs = new { } }, token)).AssertOk();
        Assert.True(run.GetProperty("result").ValueKind == System.Text.Json.JsonValueKind.Number, run.ToString());

        Assert.NotEqual(0, run.GetProperty("result").GetInt32());
    }
}
