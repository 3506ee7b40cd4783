using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OrleansFunc.AuthLinks;
using OrleansFunc.Batches;
using OrleansFunc.Common;
using OrleansFunc.Crontabs;
using OrleansFunc.DataSources;
using OrleansFunc.Errors;
using OrleansFunc.Settings;

namespace OrleansFunc.Funcs;

[JsonConverter(typeof(JsonStringEnumConverter<FuncCallerKind>))]
public enum FuncCallerKind
{
    [JsonStringEnumMemberName("authLink")] AuthLink,
    [JsonStringEnumMemberName("batch")] Batch,
    [JsonStringEnumMemberName("crontabConfig")] CrontabConfig,
    [JsonStringEnumMemberName("topicHandler")] TopicHandler,

    /// <summary>A batch's, crontab config's or the installation's error handler (ID <c>batch:…</c>, <c>crontabConfig:…</c>, <c>installation</c>).</summary>
    [JsonStringEnumMemberName("errorHandler")] ErrorHandler,
}

/// <summary>
/// Something that calls a func: an auth link, batch or crontab config with its kwargs template, a data source's topic
/// handler, or an error handler (called with <c>task=</c>).
/// </summary>
public sealed record FuncCaller(FuncCallerKind Kind, string Id, string FuncId, string? KwargsJson);

/// <summary>A caller a publish or a delete would break, and why.</summary>
public sealed record BrokenCaller(FuncCallerKind Kind, string Id, string FuncId, string Problem)
{
    /// <summary>"authLink auln-…: why", as messages and the editor's marks name it.</summary>
    public string Describe() => $"{WireNames<FuncCallerKind>.Of(Kind)} {Id}: {Problem}";
}

/// <summary>
/// The callers of funcs, and which of them a change of the funcs would break (issue 25.3: a publish or a delete cannot
/// silently break a live link): a func that would disappear, a kwargs template with a field the func no longer takes,
/// a crontab config that does not give an argument the func needs, a fixed value that its declared type refuses.
/// </summary>
public sealed class FuncCallers(IGrainFactory grains)
{
    private const int PageSize = 1000;

    /// <summary>What an error handler is called with: one argument, <c>task</c>.</summary>
    private static readonly string HandlerKwargs = $$"""{"task": "{{CallRules.Placeholders[0]}}"}""";

    /// <summary>Every caller of a func of the scripts <paramref name="scriptIds"/>.</summary>
    public async Task<IReadOnlyList<FuncCaller>> OfScriptsAsync(IReadOnlySet<string> scriptIds)
    {
        bool Ours(string funcId) => funcId.LastIndexOf('.') is var dot and > 0 && scriptIds.Contains(funcId[..dot]);
        var callers = new List<FuncCaller>();
        callers.AddRange((await AllAsync<AuthLinkInfo>()).Where(l => Ours(l.FuncId))
            .Select(l => new FuncCaller(FuncCallerKind.AuthLink, l.Id, l.FuncId, l.FuncCallKwargsJson)));
        var batches = await AllAsync<BatchInfo>();
        var configs = await AllAsync<CrontabConfigInfo>();
        callers.AddRange(batches.Where(b => Ours(b.FuncId))
            .Select(b => new FuncCaller(FuncCallerKind.Batch, b.Id, b.FuncId, b.FuncCallKwargsJson)));
        callers.AddRange(configs.Where(c => Ours(c.FuncId))
            .Select(c => new FuncCaller(FuncCallerKind.CrontabConfig, c.Id, c.FuncId, c.FuncCallKwargsJson)));
        var installation = (await grains.GetGrain<IInstallationSettingsGrain>(IInstallationSettingsGrain.Key).GetAsync()).ErrorHandlerFuncId;
        var handlers = batches.Select(b => ($"batch:{b.Id}", b.ErrorHandlerFuncId))
            .Concat(configs.Select(c => ($"crontabConfig:{c.Id}", c.ErrorHandlerFuncId)))
            .Append(("installation", installation));
        callers.AddRange(handlers.Where(h => h.Item2 is { } funcId && Ours(funcId))
            .Select(h => new FuncCaller(FuncCallerKind.ErrorHandler, h.Item1, h.Item2!, HandlerKwargs)));
        foreach (var source in await AllAsync<DataSourceInfo>())
        {
            if (JsonNode.Parse(source.ConfigJson) is JsonObject config)
            {
                callers.AddRange(TopicHandler.Of(config).Where(h => Ours(h.FuncId))
                    .Select(h => new FuncCaller(FuncCallerKind.TopicHandler, $"{source.Id}:{h.Topic}", h.FuncId, null)));
            }
        }
        return callers;
    }

    /// <summary>The callers of <paramref name="scriptId"/>'s funcs that <paramref name="next"/> would break and <paramref name="current"/> does not.</summary>
    public async Task<IReadOnlyList<BrokenCaller>> BrokenByPublishAsync(string scriptId, IReadOnlyCollection<FuncInfo> current, IReadOnlyCollection<FuncInfo> next)
    {
        var callers = await OfScriptsAsync(new HashSet<string> { scriptId });
        var brokenBefore = BrokenBy(callers, current).Select(b => (b.Kind, b.Id)).ToHashSet();
        return BrokenBy(callers, next).Where(b => !brokenBefore.Contains((b.Kind, b.Id))).ToList();
    }

    /// <summary>The callers that deleting the scripts would leave without their func.</summary>
    public async Task<IReadOnlyList<BrokenCaller>> BrokenByDeleteAsync(IReadOnlySet<string> scriptIds) =>
        BrokenBy(await OfScriptsAsync(scriptIds), []).ToList();

    /// <summary>403.21 naming the broken callers (at most 20 in the message), unless there are none.</summary>
    public static void RequireNoneBroken(IReadOnlyList<BrokenCaller> broken, string subReason, string what)
    {
        if (broken.Count == 0)
        {
            return;
        }
        var named = string.Join("; ", broken.Take(20).Select(b => b.Describe()));
        throw new DffException(ErrorKind.BizCondition, subReason,
            $"{what} would break {broken.Count} caller(s): {named}. Confirm to go ahead anyway", new { broken });
    }

    public static IEnumerable<BrokenCaller> BrokenBy(IEnumerable<FuncCaller> callers, IReadOnlyCollection<FuncInfo> funcs)
    {
        var byId = funcs.ToDictionary(f => f.Id);
        foreach (var caller in callers)
        {
            var problem = byId.TryGetValue(caller.FuncId, out var func)
                ? Misfit(caller, func)
                : $"{caller.FuncId} would no longer be exported";
            if (problem is not null)
            {
                yield return new BrokenCaller(caller.Kind, caller.Id, caller.FuncId, problem);
            }
        }
    }

    private static string? Misfit(FuncCaller caller, FuncInfo func)
    {
        if (caller.KwargsJson is null || JsonNode.Parse(caller.KwargsJson) is not JsonObject template)
        {
            return null;
        }
        var parameters = JsonNode.Parse(func.KwargsJson)!.AsObject();
        var unknown = template.Select(p => p.Key).Where(name => !parameters.ContainsKey(name)).ToList();
        if (unknown.Count > 0 && !func.Args.Any(a => a.StartsWith("**", StringComparison.Ordinal)))
        {
            return $"its kwargs give {string.Join(", ", unknown)}, which {func.Definition} does not take";
        }
        if (caller.Kind == FuncCallerKind.CrontabConfig)
        {
            var missing = parameters.Where(p => p.Value is JsonObject spec && !spec.ContainsKey("default") && !template.ContainsKey(p.Key))
                .Select(p => p.Key).ToList();
            if (missing.Count > 0)
            {
                return $"{func.Definition} needs {string.Join(", ", missing)}, which its kwargs do not give";
            }
        }
        var fixedValues = new JsonObject(template.Where(p => !(p.Value is JsonValue v && v.TryGetValue<string>(out var s) && CallRules.Placeholders.Contains(s)))
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        try
        {
            TypedArguments.Convert(func.Id, ArgumentSpec.Of(func.KwargsJson), fixedValues.ToJsonString());
            return null;
        }
        catch (DffException refused)
        {
            return refused.Message;
        }
    }

    private async Task<List<T>> AllAsync<T>() where T : IListed
    {
        var all = new List<T>();
        for (var page = 1; ; page++)
        {
            var listed = await grains.DirectoryOf<T>().ListAsync(new PageRequest(page, PageSize));
            all.AddRange(listed.Items);
            if (all.Count >= listed.TotalCount || listed.Items.Count == 0)
            {
                return all;
            }
        }
    }
}
