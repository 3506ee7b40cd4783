using System.Collections.Concurrent;
using System.Text.Json;
using OrleansFunc.Errors;
using OrleansFunc.Scripts;

namespace OrleansFunc.Funcs;

/// <summary>An exported func of a published script, with the options a call needs already read.</summary>
/// <param name="FixedCrontab">The <c>fixed_crontab</c> option: overrides the expression of every crontab config of the func.</param>
/// <param name="DelayedCrontab">The <c>delayed_crontab</c> option: seconds after each firing at which a run starts (sorted, distinct).</param>
/// <param name="Queue">The <c>queue</c> option as text (1.x: a number or an alias): the named worker pool it names runs the func.</param>
/// <param name="FixedTaskRecordLimit">The <c>fixed_task_info_limit</c> option: task records kept for each crontab config of the func.</param>
/// <param name="Arguments">The arguments whose hints declare a type a string value is converted to (<see cref="TypedArguments"/>).</param>
/// <param name="Retry">The <c>retry</c> option: how its queued runs that fail are tried again, unless their batch or config says.</param>
public sealed record PublishedFunc(
    ScriptDetail Script, FuncInfo Info, int? Timeout, double? CacheSeconds, string? FixedCrontab, IReadOnlyList<int> DelayedCrontab,
    int? FixedTaskRecordLimit,
    string? Queue,
    IReadOnlyDictionary<string, ArgumentSpec> Arguments,
    Engine.RetryPolicy? Retry = null)
{
    /// <summary>The caller's kwargs with string values converted to the types the func declares; 400.43 for one that cannot be.</summary>
    public string TypedKwargs(string kwargsJson) => TypedArguments.Convert(Info.Id, Arguments, kwargsJson);
}

/// <summary>
/// This process's copy of published scripts (code, MD5, funcs), each kept for a second: the calls of
/// a hot func do not all queue at its script's single activation, and a publish is live everywhere
/// within a second. Func options are parsed once per copy, not per call.
/// </summary>
public sealed class PublishedCodeCache(IGrainFactory grains, TimeProvider clock)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private sealed record PublishedScript(ScriptDetail Detail, IReadOnlyDictionary<string, PublishedFunc> Funcs);

    private readonly ConcurrentDictionary<string, (Task<PublishedScript?> Script, DateTimeOffset FetchedAt)> _scripts = new();

    /// <summary>Drops every copy: the next call of each script fetches it again.</summary>
    public void Clear() => _scripts.Clear();

    /// <summary>Drops the copy of one script (it was published, replaced or deleted).</summary>
    public void Forget(string scriptId) => _scripts.TryRemove(scriptId, out _);

    /// <summary>The published script, or null when there is no such script.</summary>
    public async Task<ScriptDetail?> GetAsync(string scriptId) => (await GetScriptAsync(scriptId))?.Detail;

    /// <summary>The func <c>&lt;scriptId&gt;.&lt;name&gt;</c> of published code, or null.</summary>
    public async Task<PublishedFunc?> FindFuncAsync(string funcId)
    {
        var separator = funcId.LastIndexOf('.');
        if (separator <= 0)
        {
            return null;
        }
        var script = await GetScriptAsync(funcId[..separator]);
        return script?.Funcs.GetValueOrDefault(funcId[(separator + 1)..]);
    }

    private Task<PublishedScript?> GetScriptAsync(string scriptId)
    {
        var now = clock.GetUtcNow();
        var entry = _scripts.GetOrAdd(scriptId, id => (FetchAsync(id), now));
        if (now - entry.FetchedAt > Freshness || entry.Script.IsFaulted)
        {
            entry = (FetchAsync(scriptId), now);
            _scripts[scriptId] = entry;
        }
        return entry.Script;
    }

    private async Task<PublishedScript?> FetchAsync(string scriptId)
    {
        try
        {
            var detail = await grains.GetGrain<IScriptGrain>(scriptId).GetAsync();
            return new PublishedScript(detail, detail.Funcs.ToDictionary(f => f.Name, f => Read(detail, f)));
        }
        catch (DffException missing) when (missing.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }

    private static PublishedFunc Read(ScriptDetail script, FuncInfo func)
    {
        using var options = JsonDocument.Parse(func.OptionsJson);
        double? Number(string name) => options.RootElement.TryGetProperty(name, out var value) && value.TryGetDouble(out var n) ? n : null;
        var fixedCrontab = options.RootElement.TryGetProperty("fixed_crontab", out var expression) && expression.ValueKind == JsonValueKind.String
            ? expression.GetString()
            : null;
        var delays = !options.RootElement.TryGetProperty("delayed_crontab", out var delayed) ? []
            : delayed.ValueKind == JsonValueKind.Array ? delayed.EnumerateArray().Select(d => d.GetInt32()).Distinct().Order().ToArray()
            : [delayed.GetInt32()];
        return new PublishedFunc(script, func, (int?)Number("timeout"), Number("cache_result"), fixedCrontab, delays,
            (int?)Number("fixed_task_info_limit"), QueueOption(options.RootElement), ArgumentSpec.Of(func.KwargsJson),
            Engine.RetryPolicy.FromOption(options.RootElement));
    }

    /// <summary>The <c>integration</c> option (<c>autoRun</c>, <c>signIn</c>: the publish check writes 1.x's spellings so), or null.</summary>
    public static string? IntegrationOption(JsonElement options) =>
        options.TryGetProperty("integration", out var integration) && integration.ValueKind == JsonValueKind.String ? integration.GetString() : null;

    /// <summary>The <c>queue</c> option as text: 1.x wrote a number (<c>9</c>) or an alias (<c>'cpu'</c>).</summary>
    public static string? QueueOption(JsonElement options) =>
        options.TryGetProperty("queue", out var queue) && queue.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? queue.ValueKind == JsonValueKind.String ? queue.GetString() : queue.GetRawText()
            : null;
}
