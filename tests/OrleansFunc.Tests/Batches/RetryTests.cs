using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Batches;

/// <summary>
/// Retries with backoff and error handlers of queued runs (batches, crontab configs, <c>DFF.API(retry=…)</c>, the
/// installation's handler): each attempt a record of its own linked to the first, the handler called once after the last.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class RetryTests(SharedServerFixture fixture)
{
    private const string Code =
        "import time\n\n" +
        "@DFF.API('Third time lucky')\ndef lucky(n=1):\n    if _DFF_TASK_ATTEMPT < 3:\n        raise RuntimeError('attempt %d failed' % _DFF_TASK_ATTEMPT)\n    return {'n': n, 'attempt': _DFF_TASK_ATTEMPT}\n\n" +
        "@DFF.API('Always fails')\ndef broken(n=1):\n    raise RuntimeError('always broken')\n\n" +
        "@DFF.API('Fails, retried by its own option', retry={'count': 1, 'delay': 0})\ndef retried_by_func():\n    raise RuntimeError('func option')\n\n" +
        "@DFF.API('Too slow')\ndef slow():\n    time.sleep(5)\n\n" +
        "@DFF.API('Handler')\ndef on_failure(task):\n    return task\n\n" +
        "@DFF.API('Failing handler')\ndef failing_handler(task):\n    raise RuntimeError('the handler failed too')\n";

    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    private async Task<string> ScriptAsync()
    {
        var set = SharedServerFixture.UniqueId("rt");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Token)).AssertOk();
        return $"{set}__main";
    }

    private async Task<string> BatchAsync(object fields) =>
        (await Server.PostAsync("/api/v1/batches", fields, Token)).AssertOk().GetProperty("id").GetString()!;

    private async Task<string> CallAsync(string batchId, object? kwargs = null, object? options = null) =>
        (await Server.PostAsync($"/api/v1/bat/{batchId}", new { kwargs = kwargs ?? new { }, options = options ?? new { } }))
        .AssertOk().GetProperty("taskId").GetString()!;

    /// <summary>The attempts of a run and its handler's call, once there are <paramref name="count"/> records and none waits.</summary>
    private Task<List<JsonElement>> SettledAttemptsAsync(string taskId, int count) =>
        Eventually.ValueAsync($"{count} settled records of {taskId}",
            async () => (await Server.GetAsync($"/api/v1/task-records/{Uri.EscapeDataString(taskId)}/attempts", Token)).AssertOk().EnumerateArray().ToList(),
            records => records.Count == count && records.All(r => r.GetProperty("status").GetString() is not ("queued" or "running")),
            TimeSpan.FromSeconds(60));

    private static string Status(JsonElement task) => task.GetProperty("status").GetString()!;

    [Fact]
    public async Task AFailingBatchRun_IsTriedAgainWithBackoff_EachAttemptItsOwnRecord_AndTheResultFollowsThem()
    {
        var script = await ScriptAsync();
        var batch = await BatchAsync(new { funcId = $"{script}.lucky", retry = new { count = 3, delay = 1, factor = 2, maxDelay = 60 } });
        var view = (await Server.GetAsync($"/api/v1/batches/{batch}", Token)).AssertOk();
        Assert.Equal(3, view.GetProperty("retry").GetProperty("count").GetInt32());

        var first = await CallAsync(batch, new { n = 7 });

        // The caller's result URL follows the attempts to the one that succeeded.
        var result = await Server.WaitForTaskAsync(first, TimeSpan.FromSeconds(60));
        Assert.Equal("success", Status(result));
        Assert.Equal(3, result.GetProperty("result").GetProperty("attempt").GetInt32());
        Assert.Equal(7, result.GetProperty("result").GetProperty("n").GetInt32());
        Assert.Equal($"{first}~3", result.GetProperty("id").GetString());
        Assert.Equal(first, result.GetProperty("firstTaskId").GetString());

        var attempts = await SettledAttemptsAsync(first, 3);
        Assert.Equal([first, $"{first}~2", $"{first}~3"], attempts.Select(a => a.GetProperty("id").GetString()));
        Assert.Equal([1, 2, 3], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal(["failure", "failure", "success"], attempts.Select(Status));
        Assert.All(attempts.Skip(1), a => Assert.Equal(first, a.GetProperty("firstTaskId").GetString()));
        Assert.All(attempts, a => Assert.Equal(batch, a.GetProperty("originId").GetString()));
        Assert.Contains("attempt 1 failed", attempts[0].GetProperty("error").GetProperty("message").GetString());
        // Each retry waited at least its backoff after the failure before it (1 s, then 2 s).
        Assert.True(attempts[1].GetProperty("startTime").GetDateTimeOffset() >= attempts[0].GetProperty("endTime").GetDateTimeOffset().AddSeconds(1));
        Assert.True(attempts[2].GetProperty("startTime").GetDateTimeOffset() >= attempts[1].GetProperty("endTime").GetDateTimeOffset().AddSeconds(2));
        // Any attempt's ID lists the same run.
        var fromRetry = (await Server.GetAsync($"/api/v1/task-records/{Uri.EscapeDataString($"{first}~2")}/attempts", Token)).AssertOk();
        Assert.Equal(3, fromRetry.GetArrayLength());
    }

    [Fact]
    public async Task AfterTheLastAttempt_TheBatchsErrorHandler_IsCalledOnce_WithTheFailedTasksRecord()
    {
        var script = await ScriptAsync();
        var batch = await BatchAsync(new
        {
            funcId = $"{script}.broken", retry = new { count = 1, delay = 0 }, errorHandlerFuncId = $"{script}.on_failure",
        });

        var first = await CallAsync(batch, new { n = 3 });

        var records = await SettledAttemptsAsync(first, 3);
        Assert.Equal(["failure", "failure", "success"], records.Select(Status));
        var handler = records[2];
        Assert.Equal($"{first}~handler", handler.GetProperty("id").GetString());
        Assert.Equal("errorHandler", handler.GetProperty("origin").GetString());
        Assert.Equal($"{first}~2", handler.GetProperty("originId").GetString());
        Assert.Equal($"{script}.on_failure", handler.GetProperty("funcId").GetString());
        var failed = handler.GetProperty("result");
        Assert.Equal($"{first}~2", failed.GetProperty("id").GetString());
        Assert.Equal(first, failed.GetProperty("firstTaskId").GetString());
        Assert.Equal(2, failed.GetProperty("attempt").GetInt32());
        Assert.Equal("failure", failed.GetProperty("status").GetString());
        Assert.Equal("batch", failed.GetProperty("origin").GetString());
        Assert.Equal(batch, failed.GetProperty("originId").GetString());
        Assert.Equal($"{script}.broken", failed.GetProperty("funcId").GetString());
        Assert.Equal(3, failed.GetProperty("kwargs").GetProperty("n").GetInt32());
        Assert.Contains("always broken", failed.GetProperty("error").GetProperty("message").GetString());

        // The caller still sees its call's outcome, not the handler's.
        var result = (await Server.GetAsync($"/api/v1/func-result?taskId={first}")).AssertOk();
        Assert.Equal($"{first}~2", result.GetProperty("id").GetString());
        Assert.Equal("failure", Status(result));
    }

    [Fact]
    public async Task TheFuncsOwnRetryOption_AppliesToItsQueuedRuns_AndTimeoutsAreRetriedToo()
    {
        var script = await ScriptAsync();
        var byFunc = await BatchAsync(new { funcId = $"{script}.retried_by_func" });
        var first = await CallAsync(byFunc);
        Assert.Equal(["failure", "failure"], (await SettledAttemptsAsync(first, 2)).Select(Status));

        // The batch's own policy wins over the func's: none here.
        var none = await BatchAsync(new { funcId = $"{script}.retried_by_func", retry = 0 });
        var once = await CallAsync(none);
        Assert.Equal("failure", Status(await Server.WaitForTaskAsync(once, TimeSpan.FromSeconds(30))));
        var slow = await BatchAsync(new { funcId = $"{script}.slow", retry = new { count = 1, delay = 0 } });
        var timedOut = await CallAsync(slow, options: new { timeout = 1 });
        Assert.Equal(["timeout", "timeout"], (await SettledAttemptsAsync(timedOut, 2)).Select(Status));
        Assert.Single((await Server.GetAsync($"/api/v1/task-records/{once}/attempts", Token)).AssertOk().EnumerateArray());
    }

    [Fact]
    public async Task ACrontabConfigsRun_IsRetried_ThenItsHandlerCalled()
    {
        var script = await ScriptAsync();
        var config = (await Server.PostAsync("/api/v1/crontab-configs", new
        {
            funcId = $"{script}.broken", crontab = "0 0 1 1 *", retry = new { count = 1, delay = 0 }, errorHandlerFuncId = $"{script}.on_failure",
        }, Token)).AssertOk();
        var id = config.GetProperty("id").GetString()!;
        Assert.Equal($"{script}.on_failure", config.GetProperty("errorHandlerFuncId").GetString());

        var run = (await Server.PostAsync($"/api/v1/crontab-configs/{id}/run", null, Token)).AssertOk().GetProperty("taskId").GetString()!;

        var records = await SettledAttemptsAsync(run, 3);
        Assert.Equal(["crontab", "crontab", "errorHandler"], records.Select(r => r.GetProperty("origin").GetString()));
        Assert.Equal(["failure", "failure", "success"], records.Select(Status));
        Assert.Equal($"{run}~2", records[2].GetProperty("result").GetProperty("id").GetString());
    }

    [Fact]
    public async Task TheInstallationsHandler_TakesFailuresOfEntriesWithoutOne_AndAFailingHandlerIsNotHandledAgain()
    {
        var script = await ScriptAsync();
        var batch = await BatchAsync(new { funcId = $"{script}.broken" });
        (await Server.PatchAsync("/api/v1/installation-settings", new { errorHandlerFuncId = $"{script}.failing_handler" }, Token)).AssertOk();
        try
        {
            Assert.Equal($"{script}.failing_handler",
                (await Server.GetAsync("/api/v1/installation-settings", Token)).AssertOk().GetProperty("errorHandlerFuncId").GetString());
            var first = await CallAsync(batch);

            var records = await SettledAttemptsAsync(first, 2);
            Assert.Equal(["batch", "errorHandler"], records.Select(r => r.GetProperty("origin").GetString()));
            Assert.Equal(["failure", "failure"], records.Select(Status));
            // Nothing handles the handler's own failure.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(2, (await Server.GetAsync($"/api/v1/task-records/{first}/attempts", Token)).AssertOk().GetArrayLength());
        }
        finally
        {
            (await Server.PatchAsync("/api/v1/installation-settings", new { errorHandlerFuncId = "" }, Token)).AssertOk();
        }
        Assert.Equal(JsonValueKind.Null,
            (await Server.GetAsync("/api/v1/installation-settings", Token)).AssertOk().GetProperty("errorHandlerFuncId").ValueKind);
    }

    [Fact]
    public async Task BadRetriesAndHandlers_AreRefused_AndChangeNothing()
    {
        var script = await ScriptAsync();
        var batch = await BatchAsync(new { funcId = $"{script}.broken", retry = 2 });

        foreach (var retry in new object[] { 11, -1, "3", new { delay = 5 }, new { count = 2, factor = 0.5 }, new { count = 2, delay = 10, maxDelay = 5 },
                     new { count = 2, wait = 5 } })
        {
            var refused = (await Server.PatchAsync($"/api/v1/batches/{batch}", new { retry }, Token)).AssertError(400.43, "EClientBadRequest.InvalidRetry");
            Assert.Equal("retry", refused.Body.GetProperty("detail").GetProperty("field").GetString());
        }
        var missing = (await Server.PatchAsync($"/api/v1/batches/{batch}", new { errorHandlerFuncId = $"{script}.nope" }, Token))
            .AssertError(404.41, "EClientNotFound.NoSuchFunc");
        Assert.Equal("errorHandlerFuncId", missing.Body.GetProperty("detail").GetProperty("field").GetString());
        (await Server.PostAsync("/api/v1/crontab-configs", new { funcId = $"{script}.broken", crontab = "* * * * *", retry = new { count = 20 } }, Token))
            .AssertError(400.43, "EClientBadRequest.InvalidRetry");
        (await Server.PatchAsync("/api/v1/installation-settings", new { errorHandlerFuncId = $"{script}.nope" }, Token)).AssertError(404.41);

        var unchanged = (await Server.GetAsync($"/api/v1/batches/{batch}", Token)).AssertOk();
        Assert.Equal(2, unchanged.GetProperty("retry").GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("errorHandlerFuncId").ValueKind);

        // Members read the installation's settings; only administrators change them.
        var member = SharedServerFixture.UniqueId("rtm");
        (await Server.PostAsync("/api/v1/users", new { username = member, password = "member-password-25", role = "member" }, Token)).AssertOk();
        var memberToken = await Server.SignInAsync(member, "member-password-25");
        (await Server.GetAsync("/api/v1/installation-settings", memberToken)).AssertOk();
        (await Server.PatchAsync("/api/v1/installation-settings", new { errorHandlerFuncId = $"{script}.on_failure" }, memberToken)).AssertError(403.15);
        Assert.Equal(JsonValueKind.Null,
            (await Server.GetAsync("/api/v1/installation-settings", Token)).AssertOk().GetProperty("errorHandlerFuncId").ValueKind);

        // A count of 0 asks for no retries; null goes back to the func's own; an empty handler removes it.
        var none = (await Server.PatchAsync($"/api/v1/batches/{batch}", new { retry = 0, errorHandlerFuncId = $"{script}.on_failure" }, Token)).AssertOk();
        Assert.Equal(0, none.GetProperty("retry").GetProperty("count").GetInt32());
        var cleared = (await Server.PatchAsync($"/api/v1/batches/{batch}", new { retry = (int?)null, errorHandlerFuncId = "" }, Token)).AssertOk();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("retry").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("errorHandlerFuncId").ValueKind);
    }

    [Fact]
    public async Task APublishThatWouldBreakAnErrorHandler_NeedsAConfirmation()
    {
        var script = await ScriptAsync();
        var batch = await BatchAsync(new { funcId = $"{script}.broken", errorHandlerFuncId = $"{script}.on_failure" });
        var draft = (await Server.GetAsync($"/api/v1/scripts/{script}", Token)).AssertOk();
        var renamed = Code.Replace("def on_failure(task):\n    return task", "def on_failure(record):\n    return record");
        (await Server.PatchAsync($"/api/v1/scripts/{script}",
            new { codeDraft = renamed, prevCodeDraftMD5 = draft.GetProperty("codeDraftMD5").GetString() }, Token)).AssertOk();

        var refused = (await Server.PostAsync($"/api/v1/scripts/{script}/publish", new { }, Token)).AssertError(403.21, "EBizCondition.PublishBreaksCalls");
        var broken = Assert.Single(refused.Body.GetProperty("detail").GetProperty("broken").EnumerateArray());
        Assert.Equal(("errorHandler", $"batch:{batch}"), (broken.GetProperty("kind").GetString(), broken.GetProperty("id").GetString()));
        Assert.Contains("its kwargs give task", broken.GetProperty("problem").GetString());
    }

    [Fact]
    public async Task ABadRetryOption_StopsThePublish()
    {
        var set = SharedServerFixture.UniqueId("rtp");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        var options = new[] { "retry=0", "retry=11", "retry={'count': 2, 'wait': 1}", "retry={'delay': 1}", "retry={'count': 1, 'delay': 9, 'maxDelay': 2}" };
        for (var i = 0; i < options.Length; i++)
        {
            var id = $"{set}__s{i}";
            (await Server.PostAsync("/api/v1/scripts", new { id, codeDraft = $"@DFF.API('f', {options[i]})\ndef f():\n    pass\n" }, Token)).AssertOk();
            var refused = (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertError(400.9, "EScriptPublishFailed");
            Assert.Contains("retry", refused.Message);
        }
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__ok", codeDraft = "@DFF.API('f', retry={'count': 2, 'delay': 0.5, 'factor': 3})\ndef f():\n    pass\n" }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__ok/publish", null, Token)).AssertOk();
    }
}
