using System.Collections.Concurrent;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>The embedded default: data kept across a clean restart and across kill -9.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Restart_OnTheSameDataFolder_KeepsEverything()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("restart"));
        string token;
        await using (var first = await TestServer.StartAsync(settings))
        {
            token = await first.SetUpAndSignInAsync();
            (await first.PostAsync("/api/v1/script-sets", new { id = "kept", title = "Kept" }, token)).AssertOk();
            (await first.PostAsync("/api/v1/scripts", new { id = "kept__main", codeDraft = "x = 1\n" }, token)).AssertOk();
            (await first.PostAsync("/api/v1/scripts/kept__main/publish", new { note = "v1" }, token)).AssertOk();
            (await first.PatchAsync("/api/v1/scripts/kept__main", new { codeDraft = "x = 2\n" }, token)).AssertOk();
            await first.Process.StopAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("Stopped embedded PostgreSQL", first.Process.Output);
            Assert.True(first.Process.ExitCode == 0, $"WebFront exited with {first.Process.ExitCode}:\n{first.Process.Output}");
        }

        await using var second = await TestServer.StartAsync(settings with { HttpPort = HostProcess.FreePort() });
        // The session survives the restart; the data is all there.
        var script = (await second.GetAsync("/api/v1/scripts/kept__main", token)).AssertOk();
        Assert.Equal("x = 1\n", script.GetProperty("code").GetString());
        Assert.Equal("x = 2\n", script.GetProperty("codeDraft").GetString());
        Assert.Equal(1, script.GetProperty("publishVersion").GetInt32());
        Assert.Equal("Kept", (await second.GetAsync("/api/v1/script-sets/kept", token)).AssertOk().GetProperty("title").GetString());
        Assert.Single((await second.GetAsync("/api/v1/scripts/kept__main/publish-history", token)).AssertOk().EnumerateArray());
        (await second.PostAsync("/api/v1/setup", new { username = "again", password = "again-password" })).AssertError(403.21);
    }

    [Fact]
    public async Task KillDashNine_DuringWrites_LosesNoAcknowledgedChange()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("kill"));
        var acknowledged = new ConcurrentBag<string>();
        string token;
        await using (var server = await TestServer.StartAsync(settings))
        {
            token = await server.SetUpAndSignInAsync();
            using var stopWriters = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; !stopWriters.IsCancellationRequested; i++)
                {
                    var id = $"w{writer}_{i}";
                    try
                    {
                        var response = await server.PostAsync("/api/v1/script-sets", new { id, title = id }, token);
                        if (response.Status == 200)
                        {
                            acknowledged.Add(id);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToList();

            await Eventually.HoldsAsync("40 acknowledged writes", () => acknowledged.Count >= 40, interval: TimeSpan.FromMilliseconds(20));
            await server.Process.KillAsync();
            stopWriters.Cancel();
            await Task.WhenAll(writers);
        }

        // The next start finds the orphaned PostgreSQL of the killed process, stops it and starts afresh.
        await using var restarted = await TestServer.StartAsync(settings with { HttpPort = HostProcess.FreePort() });
        var listed = new HashSet<string>();
        for (var page = 1; ; page++)
        {
            var items = (await restarted.GetAsync($"/api/v1/script-sets?pageSize=100&pageNumber={page}", token)).AssertOk();
            if (items.GetArrayLength() == 0)
            {
                break;
            }
            listed.UnionWith(items.EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
        }
        foreach (var id in acknowledged)
        {
            (await restarted.GetAsync($"/api/v1/script-sets/{id}", token)).AssertOk();
            Assert.Contains(id, listed);
        }
    }
}
