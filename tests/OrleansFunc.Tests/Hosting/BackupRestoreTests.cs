using System.Diagnostics;
using Npgsql;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Infrastructure.DataServers;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>
/// deploy/backup.sh of a running installation, deploy/restore.sh into a fresh database and data folder: the new
/// installation has every entity, its records and its keys, and its links answer as before.
/// </summary>
public sealed class BackupRestoreTests
{
    [Fact]
    public async Task ABackupOfARunningInstallation_RestoresIntoAFreshOne_WithEveryEntity()
    {
        var sourceDatabase = await TestPostgres.CreateDatabaseAsync();
        var source = new TestServer.Settings(TestPaths.NewTempFolder("web"), sourceDatabase, $"c{Guid.NewGuid():N}");
        string link, crontab, archive;
        await using (var server = await TestServer.StartAsync(source))
        {
            var token = await server.SetUpAndSignInAsync();
            (await server.PostAsync("/api/v1/script-sets", new { id = "kept", title = "Kept set" }, token)).AssertOk();
            (await server.PostAsync("/api/v1/scripts", new { id = "kept__main", codeDraft = "@DFF.API('Hello')\ndef hello(name):\n    return 'hi ' + name + ' ' + DFF.ENV('greeting_suffix')\n" }, token)).AssertOk();
            (await server.PostAsync("/api/v1/env-variables", new { id = "greeting_suffix", valueTEXT = "again" }, token)).AssertOk();
            (await server.PostAsync("/api/v1/scripts/kept__main/publish", null, token)).AssertOk();
            link = (await server.PostAsync("/api/v1/auth-links", new { funcId = "kept__main.hello", funcCallKwargs = new { name = "there" } }, token))
                .AssertOk().GetProperty("id").GetString()!;
            crontab = (await server.PostAsync("/api/v1/crontab-configs", new { funcId = "kept__main.hello", funcCallKwargs = new { name = "cron" }, crontab = "0 0 1 1 *" }, token))
                .AssertOk().GetProperty("id").GetString()!;
            (await server.PostAsync("/api/v1/data-sources", new { id = "kept_redis", type = "redis", configJSON = await TestDataServers.RedisConfigAsync() }, token)).AssertOk();
            (await server.PostAsync("/api/v1/users", new { username = "kept_member", password = "member-password-9", role = "member" }, token)).AssertOk();
            Assert.Equal("hi there again", await server.Http.GetStringAsync($"/api/v1/al/{link}/simplified"));

            archive = Path.Combine(TestPaths.NewTempFolder("backup"), "orleansfunc.tar.gz");
            await RunAsync("deploy/backup.sh", "--data", source.DataFolder, "--database-url", UrlOf(sourceDatabase), "--out", archive);
        }
        Assert.Equal("600", Convert.ToString((int)File.GetUnixFileMode(archive) & 0x1ff, 8));

        var restoredDatabase = await TestPostgres.CreateDatabaseAsync();
        var restored = new TestServer.Settings(TestPaths.NewTempFolder("restored"), restoredDatabase, $"c{Guid.NewGuid():N}");
        await RunAsync("deploy/restore.sh", "--archive", archive, "--data", restored.DataFolder, "--database-url", UrlOf(restoredDatabase));
        // The data folder's keys come back with it (the tests' cluster certificate is shared, outside the folder).
        Assert.Equal(File.ReadAllBytes(MetricsToken.PathOf(source.DataFolder)), File.ReadAllBytes(MetricsToken.PathOf(restored.DataFolder)));

        await using var again = await TestServer.StartAsync(restored);
        var admin = await again.SignInAsync(ApiClient.AdminUsername, ApiClient.AdminPassword);
        Assert.Equal("Kept set", (await again.GetAsync("/api/v1/script-sets/kept", admin)).AssertOk().GetProperty("title").GetString());
        Assert.Equal("hi there again", await again.Http.GetStringAsync($"/api/v1/al/{link}/simplified"));
        (await again.GetAsync($"/api/v1/crontab-configs/{crontab}", admin)).AssertOk();
        (await again.GetAsync("/api/v1/data-sources/kept_redis", admin)).AssertOk();
        await again.SignInAsync("kept_member", "member-password-9");
        Assert.NotEmpty((await again.GetAsync("/api/v1/operation-records?entityType=script", admin)).AssertOk().EnumerateArray());
        // A restore into a database that is not empty is refused, and changes nothing.
        var refused = await RunAsync("deploy/restore.sh", expectSuccess: false, "--archive", archive, "--data", TestPaths.NewTempFolder("again"), "--database-url", UrlOf(restoredDatabase));
        Assert.Contains("not empty", refused);
    }

    private static string UrlOf(string connectionString)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{Uri.EscapeDataString(c.Username!)}:{Uri.EscapeDataString(c.Password ?? "")}@{c.Host}:{c.Port}/{c.Database}";
    }

    private static Task<string> RunAsync(string script, params string[] arguments) => RunAsync(script, expectSuccess: true, arguments);

    private static async Task<string> RunAsync(string script, bool expectSuccess, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(TestPaths.RepositoryRoot, script)) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var all = await output + await errors;
        Assert.True((process.ExitCode == 0) == expectSuccess, $"{script} exited {process.ExitCode}: {all}");
        return all;
    }
}
