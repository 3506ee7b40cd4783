using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>
/// A cluster as an operator runs it, started by <c>deploy/local-cluster.sh</c>: two WebFronts behind
/// HAProxy and a headless silo on one PostgreSQL.
/// </summary>
public sealed class LoadBalancedClusterTests
{
    private const string Code =
        "import time\n\n@DFF.API('Where')\ndef where(seconds=0):\n    time.sleep(float(seconds))\n    return {'silo': _DFF_SILO}\n";

    [Fact]
    public async Task Throttling_HoldsAcrossWebFronts_AndSessionsHoldOnEach()
    {
        await using var cluster = await LocalCluster.StartAsync(webFronts: 2, silos: 0);
        var token = await cluster.Balancer.SetUpAndSignInAsync();
        var funcId = await PublishAsync(cluster.Balancer, token);
        var link = (await cluster.Balancer.PostAsync("/api/v1/auth-links", new { funcId, throttling = new { byMinute = 10 } }, token))
            .AssertOk().GetProperty("id").GetString()!;
        // A sign-in made through one WebFront holds on the other.
        using var second = cluster.WebFront(2);
        (await second.GetAsync("/api/v1/auth-links", token)).AssertOk();

        // Forty calls at once, half through each WebFront, inside one minute's window.
        await MinuteClock.WaitForSecondOfMinuteAsync(0, 45);
        using var first = cluster.WebFront(1);
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? first : second).GetAsync($"/api/v1/al/{link}")));

        Assert.Equal(10, answers.Count(a => a.Status == 200));
        Assert.Equal(30, answers.Count(a => a.Status == 429));

        // A limit large enough for shares: each WebFront admits calls from its share of the window, and together they
        // never admit more than the limit (at most a few fewer: what one held unused when its calls ended).
        var shared = (await cluster.Balancer.PostAsync("/api/v1/auth-links", new { funcId, throttling = new { byMinute = 200 } }, token))
            .AssertOk().GetProperty("id").GetString()!;
        if (DateTimeOffset.UtcNow.Second > 30)
        {
            await Task.Delay(TimeSpan.FromSeconds(62 - DateTimeOffset.UtcNow.Second));
        }
        var sharedAnswers = new List<int>();
        foreach (var round in Enumerable.Range(0, 8))
        {
            var wave = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => (i % 2 == 0 ? first : second).GetAsync($"/api/v1/al/{shared}")));
            sharedAnswers.AddRange(wave.Select(a => a.Status));
        }
        // Below this room no share is handed out, so what a host holds unused at the end is less.
        const int smallestRoomShared = OrleansFunc.AuthLinks.ThrottleWindows.SmallestShare * OrleansFunc.AuthLinks.ThrottleWindows.ShareFraction;
        Assert.InRange(sharedAnswers.Count(status => status == 200), 200 - 2 * smallestRoomShared, 200);
        Assert.All(sharedAnswers, status => Assert.True(status is 200 or 429, $"status {status}"));
    }

    [Fact]
    public async Task KillingASilo_FailsItsRunsAtOnce_AndLaterCallsSucceedOnTheOthers()
    {
        await using var cluster = await LocalCluster.StartAsync(webFronts: 2, silos: 1);
        var token = await cluster.Balancer.SetUpAndSignInAsync();
        var funcId = await PublishAsync(cluster.Balancer, token);
        var link = (await cluster.Balancer.PostAsync("/api/v1/auth-links", new { funcId }, token)).AssertOk().GetProperty("id").GetString()!;
        var longLink = (await cluster.Balancer.PostAsync("/api/v1/auth-links", new { funcId, funcCallKwargs = new { seconds = 20 } }, token))
            .AssertOk().GetProperty("id").GetString()!;
        await Eventually.HoldsAsync("the silo in the cluster", async () =>
            (await cluster.Balancer.GetAsync("/api/v1/about", token)).AssertOk().GetProperty("clusterMembers").GetArrayLength() == 3);

        // Eight long calls fill every sync worker of the three silos (two each), the headless one's among them
        // (two wait in a line: all answer within 40 s, inside the client's minute).
        var silo = cluster.SiloName("silo1");
        var calls = Enumerable.Range(0, 8).Select(async _ =>
        {
            var answer = await cluster.Balancer.GetAsync($"/api/v1/al/{longLink}");
            return (Answer: answer, At: DateTimeOffset.UtcNow);
        }).ToList();
        await Eventually.HoldsAsync("runs on the headless silo (its pools, as it reports them every 5 s)",
            async () => await BusySyncWorkersAsync(cluster.Balancer, token, $":{cluster.Pid("silo1")}") > 0);
        var killed = DateTimeOffset.UtcNow;
        System.Diagnostics.Process.GetProcessById(cluster.Pid("silo1")).Kill();

        var finished = await Task.WhenAll(calls);
        var answers = finished.Select(f => f.Answer).ToList();
        var lost = finished.Where(f => f.Answer.Status != 200).ToList();
        Assert.True(lost.Count > 0, "no call was lost: " + string.Join(" | ", answers.Select(a => a.Text)) + $" (killed {silo} at {killed:O})");
        Assert.All(lost, f => Assert.Equal("SiloLost", f.Answer.Body.GetProperty("detail").GetProperty("etype").GetString()));
        // Not held until the run's own end or time limit: answered once membership declared the silo dead
        // (about ProbeTimeout × MissedProbesLimit, 6 s by default; 15 s leaves room for a loaded machine).
        Assert.All(lost, f => Assert.True(f.At - killed < TimeSpan.FromSeconds(15), $"a lost call answered {f.At - killed} after the kill"));
        Assert.All(answers.Where(a => a.Status == 200), a => Assert.NotEqual(silo, a.Body.GetProperty("silo").GetString()));

        var after = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cluster.Balancer.GetAsync($"/api/v1/al/{link}")));
        Assert.All(after, a => Assert.True(a.Status == 200, a.Text));
        Assert.DoesNotContain(silo, after.Select(a => a.Body.GetProperty("silo").GetString()));
    }

    [Fact]
    public async Task AWebFrontThatHangsAndDies_LeavesEverythingItHeldAnsweringOnTheOther()
    {
        await using var cluster = await LocalCluster.StartAsync(webFronts: 2, silos: 0);
        using var first = cluster.WebFront(1);
        using var second = cluster.WebFront(2);
        // Made through the first WebFront, so the grains of the session, the link and the variables mostly live on its
        // silo (Orleans places a new grain on the silo that asks for it, unless that one is much busier).
        var token = await first.SetUpAndSignInAsync();
        var funcId = await PublishAsync(first, token);
        var link = (await first.PostAsync("/api/v1/auth-links", new { funcId }, token)).AssertOk().GetProperty("id").GetString()!;
        var variables = Enumerable.Range(0, 8).Select(i => SharedServerFixture.UniqueId($"kept{i}")).ToList();
        foreach (var id in variables)
        {
            (await first.PostAsync("/api/v1/env-variables", new { id, valueTEXT = id }, token)).AssertOk();
        }
        Assert.Equal(200, (await second.GetAsync("/api/v1/al/" + link)).Status);

        // Reads, session checks and admissions are safe to ask again, so no caller sees the silo go.
        // A run the dead silo had taken is lost, and honestly answered so; its admission must not fail.
        using var load = new SteadyLoad(n => (n % 4) switch
            {
                0 => second.GetAsync("/api/v1/al/" + link),
                1 => second.GetAsync("/api/v1/about", token),
                _ => second.GetAsync("/api/v1/env-variables/" + variables[n % variables.Count], token),
            },
            answered: a => a.Status == 200 || a.Text.Contains("\"etype\":\"SiloLost\"", StringComparison.Ordinal));
        await load.WaitForMoreCallsAsync(20, "before the first WebFront hangs");
        // Frozen first (a hung machine, a partition): every call that reaches it stays in flight until its silo
        // is declared dead, and then fails in Orleans. Killed once declared dead.
        Signal(cluster.Pid("web1"), "STOP");
        await Eventually.HoldsAsync("the first WebFront's silo declared dead", async () =>
            await second.GetAsync("/api/v1/about", token) is { Status: 200 } about && about.Body.GetProperty("data").GetProperty("clusterMembers").GetArrayLength() == 1);
        System.Diagnostics.Process.GetProcessById(cluster.Pid("web1")).Kill();
        await load.WaitForMoreCallsAsync(20, "after the first WebFront died");
        AssertNoneFailed(await load.StopAsync(), cluster);
        var values = await Task.WhenAll(variables.Select(id => second.GetAsync("/api/v1/env-variables/" + id, token)));
        Assert.Equal(variables, values.Select(a => a.AssertOk().GetProperty("valueTEXT").GetString()));
    }

    [Fact]
    public async Task SigtermToASilo_LetsItsRunsEnd_AndSigtermToAWebFront_FailsNoCall()
    {
        await using var cluster = await LocalCluster.StartAsync(webFronts: 2, silos: 1);
        var token = await cluster.Balancer.SetUpAndSignInAsync();
        var funcId = await PublishAsync(cluster.Balancer, token);
        var link = (await cluster.Balancer.PostAsync("/api/v1/auth-links", new { funcId, funcCallKwargs = new { seconds = 1 } }, token))
            .AssertOk().GetProperty("id").GetString()!;
        var longLink = (await cluster.Balancer.PostAsync("/api/v1/auth-links", new { funcId, funcCallKwargs = new { seconds = 8 } }, token))
            .AssertOk().GetProperty("id").GetString()!;
        await Eventually.HoldsAsync("the silo in the cluster", async () =>
            (await cluster.Balancer.GetAsync("/api/v1/about", token)).AssertOk().GetProperty("clusterMembers").GetArrayLength() == 3);

        // The silo stops with runs in flight: they end (drained), they do not fail.
        var calls = Enumerable.Range(0, 6).Select(_ => cluster.Balancer.GetAsync($"/api/v1/al/{longLink}")).ToList();
        await Eventually.HoldsAsync("runs on the headless silo (its pools, as it reports them every 5 s)",
            async () => await BusySyncWorkersAsync(cluster.Balancer, token, $":{cluster.Pid("silo1")}") > 0);
        Signal(cluster.Pid("silo1"), "TERM");
        // Before it drains, it tells the hosts (each WebFront) to send it no more runs: a run request reaching it once
        // its Orleans silo stops could be refused with no answer getting back (the caller's SiloLost). Hosts are named
        // "machine:pid:…".
        await Eventually.HoldsAsync("silo1 to tell both WebFronts it stops", () =>
            cluster.Log("silo1").Split('\n').FirstOrDefault(line => line.Contains($"Silo {cluster.SiloName("silo1")} stops:", StringComparison.Ordinal))
                is { } told && new[] { "web1", "web2" }.All(web => told.Contains($":{cluster.Pid(web)}:", StringComparison.Ordinal)));
        var answers = await Task.WhenAll(calls);
        Assert.All(answers, a => Assert.True(a.Status == 200, a.Text));
        Assert.Contains(cluster.SiloName("silo1"), answers.Select(a => a.Body.GetProperty("silo").GetString()));

        // A WebFront stops under steady load through HAProxy: not one call fails.
        using var load = new SteadyLoad(_ => cluster.Balancer.GetAsync($"/api/v1/al/{link}"));
        await load.WaitForMoreCallsAsync(12, "before web1 stops");
        Signal(cluster.Pid("web1"), "TERM");
        await Eventually.HoldsAsync("web1 to exit", () => !File.Exists($"/proc/{cluster.Pid("web1")}/status"), TimeSpan.FromSeconds(60));
        await load.WaitForMoreCallsAsync(12, "after web1 stopped");
        AssertNoneFailed(await load.StopAsync(), cluster);
    }

    // Fails about one run in three (a few of ~780 calls answer 500): besides the admission (retried), other grain
    // calls on a request's path (a script's listing in its directory grain) can land on the leaving silo and
    // throw SiloUnavailableException. Issue 19: retry calls that are safe to repeat in one outgoing call filter.
    [Fact]
    public async Task RestartingEveryNodeOneByOne_UnderSteadyLoad_FailsNoCall()
    {
        await using var cluster = await LocalCluster.StartAsync(webFronts: 2, silos: 1);
        var token = await cluster.Balancer.SetUpAndSignInAsync();
        var funcId = await PublishAsync(cluster.Balancer, token);
        var link = (await cluster.Balancer.PostAsync("/api/v1/auth-links", new { funcId, funcCallKwargs = new { seconds = 0.2 } }, token))
            .AssertOk().GetProperty("id").GetString()!;

        using var load = new SteadyLoad(_ => cluster.Balancer.GetAsync($"/api/v1/al/{link}"));
        await load.WaitForMoreCallsAsync(12, "before the first restart");
        foreach (var part in new[] { "silo1", "web1", "web2" })
        {
            await cluster.RestartAsync(part);
            // HAProxy's health check (every second) takes a restarted WebFront back before the next one stops.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await load.WaitForMoreCallsAsync(12, $"after {part} restarted");
        }
        AssertNoneFailed(await load.StopAsync(), cluster);
    }

    private static void AssertNoneFailed((int Made, IReadOnlyList<string> Failures) load, LocalCluster cluster)
    {
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} of {load.Made} calls failed: " + string.Join("\n", load.Failures.Distinct().Take(4)) +
            "\nLogged:\n" + cluster.LoggedFailures());
    }

    private static void Signal(int pid, string signal) =>
        System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString()])!.WaitForExit();

    /// <summary>The busy sync workers of the host whose name ends with <paramref name="hostSuffix"/> (":pid"), by the overview.</summary>
    private static async Task<int> BusySyncWorkersAsync(ApiClient api, string token, string hostSuffix)
    {
        var hosts = (await api.GetAsync("/api/v1/overview", token)).AssertOk().GetProperty("workerPools").EnumerateArray();
        return hosts.Where(h => h.GetProperty("host").GetString()!.EndsWith(hostSuffix, StringComparison.Ordinal))
            .SelectMany(h => h.GetProperty("pools").EnumerateArray())
            .Where(p => p.GetProperty("lane").GetString() == "sync")
            .Sum(p => p.GetProperty("busy").GetInt32());
    }

    private static async Task<string> PublishAsync(ApiClient api, string token)
    {
        var set = SharedServerFixture.UniqueId("lb");
        (await api.PostAsync("/api/v1/script-sets", new { id = set }, token)).AssertOk();
        (await api.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, token)).AssertOk();
        (await api.PostAsync($"/api/v1/scripts/{set}__main/publish", null, token)).AssertOk();
        return $"{set}__main.where";
    }
}
