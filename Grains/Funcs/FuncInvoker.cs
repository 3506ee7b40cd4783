using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Telemetry;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.Funcs;

/// <summary>
/// Options a caller may set on a call (a whitelist: nothing else of the call can be overridden).
/// <paramref name="Timeout"/> can only shorten the func's own time limit.
/// </summary>
public sealed record FuncCallOptions(int? Timeout);

/// <summary>A call's result, and whether it came from the <c>cache_result</c> cache.</summary>
public sealed record FuncCallOutcome(FuncRunResult Run, bool FromCache);

/// <summary>
/// Calls an exported func of published code: finds it through the <see cref="PublishedCodeCache"/>,
/// runs it on a lane outside every entity grain's turn, and serves the results of funcs declared
/// with <c>cache_result</c> from this process's cache for that many seconds.
/// </summary>
public sealed class FuncInvoker(
    PublishedCodeCache codes, FuncRunner runner, OrleansFuncOptions options, Records.SyncTaskRecorder recorder, Stats.CallCounters counters,
    Telemetry.FuncMetrics metrics)
    : IDisposable
{
    private readonly MemoryCache _results = new(new MemoryCacheOptions { SizeLimit = 2000 });

    public void Dispose() => _results.Dispose();

    /// <summary>Drops every cached result (the cache clear of the console).</summary>
    public void ClearResults() => _results.Compact(1.0);

    public Task<FuncCallOutcome> CallAsync(string funcId, string kwargsJson, FuncCallOptions callOptions, Lane lane, RunContext context) =>
        CallAsync(funcId, kwargsJson, callOptions, lane, context, RunPlace.Anywhere)!;

    /// <summary>The call, run only where <paramref name="place"/> says; null when it did not run there (nothing of it is recorded).</summary>
    public async Task<FuncCallOutcome?> CallAsync(
        string funcId, string kwargsJson, FuncCallOptions callOptions, Lane lane, RunContext context, RunPlace place)
    {
        var func = await codes.FindFuncAsync(funcId)
            ?? throw DffException.NotFound("NoSuchFunc", $"No such Func: '{funcId}'", new { funcId });
        var script = func.Script;
        var scriptId = script.Info.Id;
        var funcName = func.Info.Name;
        kwargsJson = func.TypedKwargs(kwargsJson);

        // The key holds the code's MD5 and version: a publish makes earlier results unreachable.
        var cacheSeconds = func.CacheSeconds;
        var cacheKey = cacheSeconds is null ? null
            : $"{funcId}|{script.Info.CodeMD5}|{script.Info.PublishVersion}|{Md5.Of(CanonicalJson(kwargsJson))}";
        if (cacheKey is not null && _results.TryGetValue(cacheKey, out FuncRunResult? cached))
        {
            return new FuncCallOutcome(cached!, FromCache: true);
        }

        // A caller may shorten the func's time limit, never lengthen it: the limit is the author's.
        var limit = func.Timeout ?? options.Engine.Lanes[lane].DefaultTimeoutSeconds;
        var timeout = callOptions.Timeout is { } asked ? Math.Min(asked, limit) : limit;
        var fullContext = context with { FuncId = funcId, FuncName = funcName, TaskId = context.TaskId ?? $"task-{Guid.NewGuid():N}" };
        var triggerTime = DateTimeOffset.UtcNow;
        var call = FuncTracing.StartCall(funcId, context.Origin.WireName(), lane);
        FuncRunResult? run;
        try
        {
            var request = new FuncRunRequest(
                lane, RunMode.Run, scriptId, script.Code, script.Info.CodeMD5, funcName, kwargsJson, timeout, fullContext,
                options.Engine.PoolForQueue(func.Queue));
            run = place switch
            {
                RunPlace.InLineHere => await runner.RunInLineHereAsync(request),
                RunPlace.ElsewhereIfFree => await runner.TryRunElsewhereNowAsync(request),
                _ => await runner.RunAsync(request),
            };
        }
        catch (Exception)
        {
            call?.SetStatus(System.Diagnostics.ActivityStatusCode.Error).Dispose();
            throw;
        }
        if (run is null)
        {
            FuncTracing.NothingRan(call);
            call?.Dispose();
            return null;
        }
        FuncTracing.EndCall(call, run);
        counters.Record(context.Origin.WireName(), funcId, run);
        metrics.RecordRun(context.Origin.WireName(), funcId, run);
        // A run without a task of its own (a synchronous call) gets a record if it failed or is sampled.
        if (context.TaskId is null && context.Origin.Describe().SampledRecords)
        {
            recorder.Record(fullContext.TaskId, context.Origin.WireName(), context.OriginId, funcId, kwargsJson, timeout, triggerTime, run);
        }
        if (cacheKey is not null && run.IsSuccess)
        {
            _results.Set(cacheKey, run, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(cacheSeconds!.Value) });
        }
        return new FuncCallOutcome(run, FromCache: false);
    }

    /// <summary>JSON with object keys sorted at every level, so equal kwargs give equal cache keys.</summary>
    private static string CanonicalJson(string json) => Sorted(JsonNode.Parse(json))?.ToJsonString() ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>The envelope error of a failed call: 599.31 for a timeout, 599.3 otherwise, with the last traceback line.</summary>
    public static DffException ToCallError(string funcId, FuncRunResult run)
    {
        var error = run.Error ?? new FuncError("Error", "The func failed", null, "");
        var lastLine = error.Traceback.TrimEnd().Split('\n').LastOrDefault() is { Length: > 0 } line ? line : $"{error.Type}: {error.Message}";
        var detail = new { funcId, etype = error.Type, einfoTEXT = lastLine, error.Message, error.Line };
        return run.Status == FuncRunStatus.Timeout
            ? new DffException(ErrorKind.FuncTimeout, null, $"Func '{funcId}' ran past its time limit", detail)
            : new DffException(ErrorKind.FuncFailed, null, $"Func '{funcId}' failed: {lastLine}", detail);
    }
}
