using System.Net.Http.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Platform;

/// <summary>
/// One trace per call, from the HTTP request through the grains to the run in the worker, exported over OTLP to a
/// receiver the test runs; the caller's W3C <c>traceparent</c> is the trace, and the answer's <c>X-Trace-Id</c> names it.
/// </summary>
public sealed class TracingTests
{
    [Fact]
    public async Task ACall_IsOneTrace_FromTheRequestToTheWorkerRun_UnderTheCallersTraceparent()
    {
        await using var receiver = new OtlpReceiver();
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("web"), await TestPostgres.CreateDatabaseAsync());
        var environment = settings.ToEnvironment();
        environment["OrleansFunc__Telemetry__OtlpEndpoint"] = receiver.Endpoint;
        environment["OrleansFunc__Telemetry__OtlpMetricsInterval"] = "00:00:02";
        environment["OrleansFunc__Telemetry__TraceGrainCalls"] = "true";
        await using var server = await TestServer.StartAsync(settings, environment);
        var token = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/script-sets", new { id = "traced" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "traced__main", codeDraft = "@DFF.API('Hello')\ndef hello():\n    return 'hi'\n" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts/traced__main/publish", null, token)).AssertOk();
        var link = (await server.PostAsync("/api/v1/auth-links", new { funcId = "traced__main.hello" }, token)).AssertOk().GetProperty("id").GetString()!;

        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        using var call = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/al/{link}/simplified")
        {
            Headers = { { "traceparent", $"00-{traceId}-{Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64(1, long.MaxValue)))}-01" } },
        };
        using var answer = await server.Http.SendAsync(call);
        answer.EnsureSuccessStatusCode();
        var upper = traceId.ToUpperInvariant();
        Assert.Equal($"TRACE-{upper[..8]}-{upper[8..12]}-{upper[12..16]}-{upper[16..20]}-{upper[20..]}", answer.Headers.GetValues("X-Trace-Id").Single());
        foreach (var header in new[] { "X-Request-Time", "X-Response-Time", "X-Request-Cost", "X-Dff-Version", "X-Dff-Release-Timestamp" })
        {
            Assert.True(answer.Headers.Contains(header), $"the answer has {header}");
        }

        var spans = await Eventually.ValueAsync("the call's spans to be exported", () => Task.FromResult(receiver.Spans.Where(s => s.TraceId == traceId).ToList()),
            found => found.Any(s => s.Name == "worker.run"), TimeSpan.FromSeconds(30));
        var byId = spans.ToDictionary(s => s.SpanId);
        var worker = spans.Single(s => s.Name == "worker.run");
        Assert.Equal("traced__main.hello", worker.Attributes["func.id"]);
        Assert.Equal("success", worker.Attributes["orleansfunc.outcome"]);
        // Up from the worker's span: the func call, then (through Orleans' grain-call spans, if any) the HTTP request.
        var chain = new List<OtlpReceiver.Span>();
        for (var span = worker; byId.TryGetValue(span.ParentSpanId, out var parent); span = parent)
        {
            chain.Add(parent);
        }
        Assert.Contains(chain, s => s.Name == "func.call" && s.Attributes["func.id"] == "traced__main.hello" && s.Attributes["orleansfunc.origin"] == "authLink");
        Assert.Equal("Microsoft.AspNetCore", chain[^1].Scope);
        // With TraceGrainCalls, the link's admission (a grain call) has Orleans' span in the same trace.
        Assert.Contains(spans, s => s.Scope.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));

        await Eventually.HoldsAsync("metrics to be pushed over OTLP too", () => receiver.MetricExports > 0, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ARunSentToAnotherSilo_StaysInTheCallersTrace()
    {
        await using var receiver = new OtlpReceiver();
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var clusterId = $"c{Guid.NewGuid():N}";
        var webSettings = new TestServer.Settings(TestPaths.NewTempFolder("web"), connectionString, clusterId);
        var siloSettings = new TestServer.Settings(TestPaths.NewTempFolder("silo"), connectionString, clusterId);
        var webEnvironment = webSettings.ToEnvironment();
        var siloEnvironment = siloSettings.ToEnvironment();
        foreach (var environment in new[] { webEnvironment, siloEnvironment })
        {
            environment["OrleansFunc__Telemetry__OtlpEndpoint"] = receiver.Endpoint;
        }
        await using var web = await TestServer.StartAsync(webSettings, webEnvironment);
        await using var silo = HostProcess.Start(TestPaths.SiloDll, siloEnvironment);
        var token = await web.SetUpAndSignInAsync();
        await web.WaitForMembersAsync(token, 2, silo);
        (await web.PostAsync("/api/v1/script-sets", new { id = "spread" }, token)).AssertOk();
        (await web.PostAsync("/api/v1/scripts", new { id = "spread__main", codeDraft = "import time\n\n@DFF.API('Nap')\ndef nap():\n    time.sleep(1)\n    return _DFF_SILO\n" }, token)).AssertOk();
        (await web.PostAsync("/api/v1/scripts/spread__main/publish", null, token)).AssertOk();

        // One sync worker per host: of four calls at once, some run on the headless silo.
        var traceIds = Enumerable.Range(0, 4).Select(_ => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())).ToList();
        await Task.WhenAll(traceIds.Select(async traceId =>
        {
            using var call = new HttpRequestMessage(HttpMethod.Post, "/api/v1/func/spread__main.nap")
            {
                Headers = { { "traceparent", $"00-{traceId}-00f067aa0ba902b7-01" }, { "X-Dff-Auth-Token", token } },
                Content = JsonContent.Create(new { }),
            };
            using var answer = await web.Http.SendAsync(call);
            answer.EnsureSuccessStatusCode();
        }));

        var remote = await Eventually.ValueAsync("a run on the other silo to be exported", () => Task.FromResult(
            receiver.Spans.Where(s => s.Name == "func.remote_run" && traceIds.Contains(s.TraceId)).ToList()), found => found.Count > 0, TimeSpan.FromSeconds(30));
        foreach (var remoteRun in remote)
        {
            // Each host exports on its own schedule: wait for the worker's span (on the silo) and the call's (on the WebFront).
            var spans = await Eventually.ValueAsync("the remote run's whole trace", () => Task.FromResult(receiver.Spans.Where(s => s.TraceId == remoteRun.TraceId).ToList()),
                found => found.Any(s => s.Name == "worker.run" && s.ParentSpanId == remoteRun.SpanId)
                         && found.Any(s => s.SpanId == remoteRun.ParentSpanId) && found.Any(s => s.Scope == "Microsoft.AspNetCore"), TimeSpan.FromSeconds(30));
            var byId = spans.ToDictionary(s => s.SpanId);
            Assert.Equal("func.call", byId[remoteRun.ParentSpanId].Name);
            Assert.Equal("Microsoft.AspNetCore", byId[byId[remoteRun.ParentSpanId].ParentSpanId].Scope);
        }
        Assert.DoesNotContain(receiver.Spans, s => s.Scope.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonLogs_CarryTheTraceIdOfTheCall()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("web"), await TestPostgres.CreateDatabaseAsync());
        var environment = settings.ToEnvironment();
        environment["ORLEANSFUNC_LOG_FORMAT"] = "json";
        environment["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
        await using var server = await TestServer.StartAsync(settings, environment);

        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        using var call = new HttpRequestMessage(HttpMethod.Get, "/api/v1/about") { Headers = { { "traceparent", $"00-{traceId}-00f067aa0ba902b7-01" } } };
        using var answer = await server.Http.SendAsync(call);

        var line = await Eventually.ValueAsync("a log line of the call", () => Task.FromResult(server.Process.Output.Split('\n')
            .FirstOrDefault(l => l.StartsWith('{') && l.Contains(traceId, StringComparison.Ordinal))), found => found is not null);
        using var entry = System.Text.Json.JsonDocument.Parse(line!);
        Assert.Contains(entry.RootElement.GetProperty("Scopes").EnumerateArray(),
            scope => scope.ValueKind == System.Text.Json.JsonValueKind.Object && scope.TryGetProperty("TraceId", out var id) && id.GetString() == traceId);
    }
}
