using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// <c>/metrics</c> names every func and counts its calls: nobody without the scrape token reads it, not a caller on
/// this machine (a same-host proxy makes every caller one), not a script, which cannot read the token either.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class MetricsAccessTests(SharedServerFixture fixture)
{
    private const string Code =
        "import urllib.request, urllib.error\n\n" +
        "def fetch(url, token=None):\n" +
        "    request = urllib.request.Request(url, headers={'Authorization': 'Bearer ' + token} if token else {})\n" +
        "    try:\n        with urllib.request.urlopen(request, timeout=10) as answer:\n            return 'ok %d' % answer.status\n" +
        "    except urllib.error.HTTPError as e:\n        return 'http %d' % e.code\n" +
        "    except Exception as e:\n        return 'refused: %s' % type(e).__name__\n\n" +
        "def read(path):\n    try:\n        return 'ok: ' + open(path).read()[:8]\n" +
        "    except Exception as e:\n        return 'refused: %s' % type(e).__name__\n";

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task WithoutTheScrapeToken_NobodyReadsTheMetrics_NotEvenFromThisMachine()
    {
        using (var anonymous = await Server.Http.GetAsync("/metrics"))
        {
            Assert.Equal(404, (int)anonymous.StatusCode);
        }
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "Authorization", "Bearer not-the-token" } } };
        using (var answer = await Server.Http.SendAsync(wrong))
        {
            Assert.Equal(404, (int)answer.StatusCode);
        }
        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "Authorization", $"Bearer {MetricsToken.Of(Server)}" } } };
        using (var answer = await Server.Http.SendAsync(right))
        {
            Assert.Equal(200, (int)answer.StatusCode);
        }
    }

    [Fact]
    public async Task AScript_ReadsNeitherTheMetrics_NorTheirToken()
    {
        var set = SharedServerFixture.UniqueId("ma");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, fixture.AdminToken)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, fixture.AdminToken)).AssertOk();
        async Task<string> RunAsync(string func, object kwargs) =>
            (await Server.PostAsync($"/api/v1/scripts/{set}__main/run", new { funcName = func, kwargs }, fixture.AdminToken)).AssertOk()
            .GetProperty("result").GetString()!;

        Assert.Equal("http 404", await RunAsync("fetch", new { url = new Uri(Server.Http.BaseAddress!, "/metrics").ToString() }));
        Assert.StartsWith("refused", await RunAsync("read", new { path = MetricsToken.PathOf(Server) }));
    }
}
