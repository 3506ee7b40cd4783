using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Batches;

/// <summary>Batches: asynchronous calls through the persisted task queue (SPEC M4, M10).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class BatchTests(SharedServerFixture fixture)
{
    private const string Code =
        "@DFF.API('Work')\ndef work(n=1, fixed=None):\n    print('working on', n)\n    return {'double': n * 2, 'fixed': fixed, 'origin': _DFF_ORIGIN, 'task': _DFF_TASK_ID, 'mode': _DFF_EXEC_MODE, 'root': _DFF_ROOT_TASK_ID}\n\n" +
        "@DFF.API('Broken')\ndef broken():\n    raise RuntimeError('batch failed')\n\n" +
        "@DFF.API('Request')\ndef request():\n    r = _DFF_HTTP_REQUEST\n" +
        "    return {'method': r['method'], 'url': r['url'], 'originalUrl': r['originalUrl'], 'probe': r['headers'].get('X-PROBE'), 'token': r['headers'].get('x-dff-auth-token'), 'query': r['query']}\n\n" +
        "@DFF.API('Handed')\ndef handed():\n    return DFF.FUNC(_DFF_SCRIPT_ID + '.no_request')\n\n" +
        "@DFF.API('No request')\ndef no_request():\n    return _DFF_HTTP_REQUEST\n";

    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    private async Task<string> FuncAsync(string name)
    {
        var set = SharedServerFixture.UniqueId("bt");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Token)).AssertOk();
        return $"{set}__main.{name}";
    }

    [Fact]
    public async Task Batch_Call_ReturnsATaskAtOnce_AndTheResultLater()
    {
        var batch = (await Server.PostAsync("/api/v1/batches", new { funcId = await FuncAsync("work") }, Token));
        batch.AssertOk();
        var id = batch.Data.GetProperty("id").GetString()!;
        Assert.StartsWith("bat-", id);

        var queued = (await Server.PostAsync($"/api/v1/bat/{id}", new { kwargs = new { n = 21 } })).AssertOk();
        var taskId = queued.GetProperty("taskId").GetString()!;
        Assert.Equal($"/api/v1/func-result?taskId={taskId}", queued.GetProperty("resultURL").GetString());

        var task = await Server.WaitForTaskAsync(taskId, TimeSpan.FromSeconds(30));
        Assert.Equal("success", task.GetProperty("status").GetString());
        Assert.Equal(42, task.GetProperty("result").GetProperty("double").GetInt32());
        Assert.Equal("batch", task.GetProperty("result").GetProperty("origin").GetString());
        Assert.Equal(taskId, task.GetProperty("result").GetProperty("task").GetString());
        // As 1.x's runner: a batch's run is asynchronous, and a task no func queued has the root "ROOT".
        Assert.Equal("async", task.GetProperty("result").GetProperty("mode").GetString());
        Assert.Equal("ROOT", task.GetProperty("result").GetProperty("root").GetString());
        Assert.Equal("working on 21", task.GetProperty("printLogs")[0].GetString());
        Assert.Equal("batch", task.GetProperty("origin").GetString());
        Assert.Equal(id, task.GetProperty("originId").GetString());
        Assert.True(task.GetProperty("endTime").GetDateTimeOffset() >= task.GetProperty("startTime").GetDateTimeOffset());

        var records = (await Server.GetAsync($"/api/v1/task-records?origin=batch&originId={id}", Token)).AssertOk();
        Assert.Equal(taskId, Assert.Single(records.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Batch_Run_SeesTheHttpRequestThatQueuedIt_AndRunsWithoutOneSeeAnEmptyOne()
    {
        // As in DataFlux Func: an async API's run gets its call's request; runs no request started get {}, never a NameError.
        var id = (await Server.PostAsync("/api/v1/batches", new { funcId = await FuncAsync("request") }, Token)).AssertOk().GetProperty("id").GetString()!;
        using var call = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/bat/{id}?a=1") { Content = JsonContent.Create(new { kwargs = new { } }) };
        call.Headers.Add("X-Probe", "seen");
        call.Headers.Add("X-Dff-Auth-Token", Token);
        using var answer = await Server.Http.SendAsync(call);
        using var queued = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var taskId = queued.RootElement.GetProperty("data").GetProperty("taskId").GetString()!;
        var task = await Server.WaitForTaskAsync(taskId, TimeSpan.FromSeconds(30));
        Assert.Equal("success", task.GetProperty("status").GetString());
        var seen = task.GetProperty("result");
        Assert.Equal("POST", seen.GetProperty("method").GetString());
        Assert.Equal($"/api/v1/bat/{id}", seen.GetProperty("url").GetString());
        Assert.Equal($"/api/v1/bat/{id}?a=1", seen.GetProperty("originalUrl").GetString());
        Assert.Equal("seen", seen.GetProperty("probe").GetString());
        Assert.Equal("1", seen.GetProperty("query").GetProperty("a").GetString());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("token").ValueKind);
        // Kept with the task while it waits, not in its record once it ended.
        await using (var database = new NpgsqlConnection(Server.ConnectionString))
        {
            await database.OpenAsync();
            await using var stored = new NpgsqlCommand("SELECT context FROM of_task_records WHERE id = @id", database);
            stored.Parameters.AddWithValue("id", taskId);
            Assert.DoesNotContain("seen", (string)(await stored.ExecuteScalarAsync())!);
        }

        var handed = (await Server.PostAsync("/api/v1/batches", new { funcId = await FuncAsync("handed") }, Token)).AssertOk().GetProperty("id").GetString()!;
        var first = await Server.WaitForTaskAsync((await Server.PostAsync($"/api/v1/bat/{handed}", new { })).AssertOk().GetProperty("taskId").GetString()!, TimeSpan.FromSeconds(30));
        Assert.Equal("success", first.GetProperty("status").GetString());
        var next = await Server.WaitForTaskAsync(first.GetProperty("result").GetString()!, TimeSpan.FromSeconds(30));
        Assert.Equal("success", next.GetProperty("status").GetString());
        Assert.Equal("{}", next.GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task Batch_CallerOptions_DelayTheRun_AndOnlyBatchOptionsAreTaken()
    {
        var batch = (await Server.PostAsync("/api/v1/batches", new { funcId = await FuncAsync("work") }, Token)).AssertOk();
        var id = batch.GetProperty("id").GetString()!;

        var asked = DateTimeOffset.UtcNow;
        var delayed = (await Server.PostAsync($"/api/v1/bat/{id}",
            new { kwargs = new { n = 2 }, options = new { delay = 3, execMode = "async", saveResult = true } })).AssertOk();
        var early = (await Server.GetAsync($"/api/v1/func-result?taskId={delayed.GetProperty("taskId").GetString()}")).AssertOk();
        Assert.Equal("queued", early.GetProperty("status").GetString());
        var done = await Server.WaitForTaskAsync(delayed.GetProperty("taskId").GetString()!, TimeSpan.FromSeconds(30));
        Assert.Equal("success", done.GetProperty("status").GetString());
        Assert.True(done.GetProperty("startTime").GetDateTimeOffset() >= asked.AddSeconds(3), "the delayed run started before its delay");

        var past = (await Server.PostAsync($"/api/v1/bat/{id}", new { options = new { eta = "2020-01-01T00:00:00Z" } })).AssertOk();
        Assert.Equal("success", (await Server.WaitForTaskAsync(past.GetProperty("taskId").GetString()!, TimeSpan.FromSeconds(30))).GetProperty("status").GetString());

        (await Server.PostAsync($"/api/v1/bat/{id}", new { options = new { returnType = "jsonDumps" } })).AssertError(400.43, "EClientBadRequest.InvalidOptions");
        (await Server.PostAsync($"/api/v1/bat/{id}", new { options = new { execMode = "sync" } })).AssertError(400.43, "EClientBadRequest.InvalidOptions");
        (await Server.PostAsync($"/api/v1/bat/{id}", new { options = new { eta = "tomorrow" } })).AssertError(400.43, "EClientBadRequest.InvalidOptions");
        (await Server.PostAsync($"/api/v1/bat/{id}", new { options = new { delay = -1 } })).AssertError(400.43, "EClientBadRequest.InvalidOptions");
    }

    [Fact]
    public async Task Batch_SimplifiedCall_AndAFailingFunc_AreRecorded()
    {
        var work = (await Server.PostAsync("/api/v1/batches", new { funcId = await FuncAsync("work") }, Token)).AssertOk().GetProperty("id").GetString()!;
        var simplified = (await Server.GetAsync($"/api/v1/bat/{work}/simplified?fixed=x")).AssertOk().GetProperty("taskId").GetString()!;
        Assert.Equal("x", (await Server.WaitForTaskAsync(simplified, TimeSpan.FromSeconds(30))).GetProperty("result").GetProperty("fixed").GetString());

        var broken = (await Server.PostAsync("/api/v1/batches", new { funcId = await FuncAsync("broken") }, Token)).AssertOk().GetProperty("id").GetString()!;
        var failed = await Server.WaitForTaskAsync((await Server.GetAsync($"/api/v1/bat/{broken}")).AssertOk().GetProperty("taskId").GetString()!, TimeSpan.FromSeconds(30));
        Assert.Equal("failure", failed.GetProperty("status").GetString());
        Assert.Equal("RuntimeError", failed.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task Batch_Disabled_Missing_OrBadInput_IsRefusedAndQueuesNothing()
    {
        var id = (await Server.PostAsync("/api/v1/batches", new { funcId = await FuncAsync("work"), funcCallKwargs = new { n = 1 } }, Token)).AssertOk().GetProperty("id").GetString()!;
        (await Server.PostAsync($"/api/v1/bat/{id}", new { kwargs = new { n = 2 } })).AssertError(400.43, "EClientBadRequest.FixedKwargsOverridden");
        (await Server.PatchAsync($"/api/v1/batches/{id}", new { isDisabled = true }, Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/bat/{id}")).AssertError(403.21, "EBizCondition.BatchDisabled");
        (await Server.GetAsync("/api/v1/bat/bat-none")).AssertError(404.41);
        (await Server.PostAsync("/api/v1/batches", new { funcId = "nope__x.y" }, Token)).AssertError(404.41);
        (await Server.GetAsync("/api/v1/func-result?taskId=task-none")).AssertError(404.41);
        (await Server.GetAsync("/api/v1/func-result")).AssertError(400.43);
        Assert.Equal(0, (await Server.GetAsync($"/api/v1/task-records?originId={id}", Token)).AssertOk().GetArrayLength());
        (await Server.GetAsync("/api/v1/task-records?origin=Batch", Token)).AssertError(400.43);
    }

    [Fact]
    public async Task DffFunc_QueuesTheNextFunc_UpToAChainOfFive_AndRefusesLoops()
    {
        var set = SharedServerFixture.UniqueId("ch");
        var script = $"{set}__main";
        var code = string.Concat(Enumerable.Range(1, 6).Select(i =>
            $"@DFF.API('F{i}')\ndef f{i}():\n    return {{'chain': _DFF_FUNC_CHAIN, 'next': DFF.FUNC('{script}.f{i + 1}'), " +
            "'task': _DFF_TASK_ID, 'root': _DFF_ROOT_TASK_ID, 'mode': _DFF_EXEC_MODE, 'trigger': _DFF_TRIGGER_TIME_MS}\n\n")) +
            "@DFF.API('F7')\ndef f7():\n    return 'end'\n\n@DFF.API('Loop')\ndef loop():\n    return DFF.FUNC(_DFF_FUNC_ID)\n";
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = script, codeDraft = code }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{script}/publish", null, Token)).AssertOk();

        var result = (await Server.PostAsync($"/api/v1/func/{script}.f1", new { }, Token)).AssertOk().GetProperty("result");
        // As 1.x's runner: the chain ends with the running func.
        Assert.Equal([$"{script}.f1"], result.GetProperty("chain").EnumerateArray().Select(f => f.GetString()!).ToArray());
        Assert.Equal("ROOT", result.GetProperty("root").GetString());
        Assert.Equal("sync", result.GetProperty("mode").GetString());
        for (var i = 2; i <= 4; i++)
        {
            var caller = result;
            var task = await Server.WaitForTaskAsync(result.GetProperty("next").GetString()!, TimeSpan.FromSeconds(30), Token);
            Assert.Equal("success", task.GetProperty("status").GetString());
            Assert.Equal("direct", task.GetProperty("origin").GetString());
            result = task.GetProperty("result");
            Assert.Equal(Enumerable.Range(1, i).Select(f => $"{script}.f{f}").ToArray(),
                result.GetProperty("chain").EnumerateArray().Select(f => f.GetString()!).ToArray());
            // As 1.x's DFF.FUNC: the child's root task is its caller's task, and it runs in its caller's exec mode and
            // trigger time (a synchronous call's trigger time is its start: the child's is when it was queued).
            Assert.Equal(caller.GetProperty("task").GetString(), result.GetProperty("root").GetString());
            Assert.Equal("sync", result.GetProperty("mode").GetString());
            if (i > 2)
            {
                Assert.Equal(caller.GetProperty("trigger").GetInt64(), result.GetProperty("trigger").GetInt64());
            }
        }
        var fifth = await Server.WaitForTaskAsync(result.GetProperty("next").GetString()!, TimeSpan.FromSeconds(30), Token);
        Assert.Equal("failure", fifth.GetProperty("status").GetString());
        Assert.Contains("limited to 5", fifth.GetProperty("error").GetProperty("message").GetString());

        var loop = (await Server.PostAsync($"/api/v1/func/{script}.loop", new { }, Token)).AssertError(599.3);
        Assert.Contains("loop", loop.Body.GetProperty("detail").GetProperty("einfoTEXT").GetString());
        (await Server.PostAsync($"/api/v1/scripts/{script}/run", new { funcName = "f7" }, Token)).AssertOk();
    }
}
