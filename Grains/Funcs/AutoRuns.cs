using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Records;

namespace OrleansFunc.Funcs;

/// <summary>
/// Funcs published with <c>DFF.API(integration='autoRun', integration_config={...})</c>, as DataFlux Func 1.x runs
/// them: queued as tasks of origin <c>integration</c> just after their script is published (<c>onPublish</c>) and
/// when a silo starts (<c>onLaunch</c>), and on their own crontab (<c>crontab</c>, fired by a crontab config grain the
/// func owns: <see cref="CrontabKey"/>). Their task's origin ID says which (<c>autoRun.onScriptPublish-&lt;funcId&gt;</c>).
/// </summary>
public sealed class AutoRuns(TaskRecordStore tasks, TaskQueueSignal signal, TimeProvider clock)
{
    /// <summary>The moments of <c>integration_config</c> (as the publish check names them).</summary>
    public const string OnScriptPublish = "onScriptPublish";

    public const string OnSystemLaunch = "onSystemLaunch";

    /// <summary>The crontab of <c>integration_config</c> (as the publish check names it).</summary>
    public const string CronExpr = "cronExpr";

    /// <summary>
    /// Keys of the crontab config grains that fire auto-run funcs, and their tasks' origin ID, as 1.x named it. No
    /// config made through the API has one: their IDs have no '.'.
    /// </summary>
    private const string CrontabKeyPrefix = "autoRun.crontab-";

    public static string CrontabKey(string funcId) => CrontabKeyPrefix + funcId;

    /// <summary>Whether the crontab config <paramref name="configId"/> is the one an auto-run func owns.</summary>
    public static bool IsAutoRunCrontab(string configId) => configId.StartsWith(CrontabKeyPrefix, StringComparison.Ordinal);

    /// <summary>The func whose crontab config is <paramref name="configId"/>.</summary>
    public static string FuncOfCrontab(string configId) => configId[CrontabKeyPrefix.Length..];

    /// <summary>The crontab <paramref name="func"/> runs on as an auto-run func, or null.</summary>
    public static string? CrontabOf(FuncInfo func)
    {
        using var options = JsonDocument.Parse(func.OptionsJson);
        return AutoRunConfig(options.RootElement) is { } config && config.TryGetProperty(CronExpr, out var expression)
            && expression.ValueKind == JsonValueKind.String ? expression.GetString() : null;
    }

    /// <summary>Whether <paramref name="func"/> is an auto-run func that runs at <paramref name="moment"/>.</summary>
    public static bool RunsAt(FuncInfo func, string moment)
    {
        using var options = JsonDocument.Parse(func.OptionsJson);
        return AutoRunConfig(options.RootElement) is { } config
            && config.TryGetProperty(moment, out var wanted) && wanted.ValueKind == JsonValueKind.True;
    }

    /// <summary>The <c>integration_config</c> of an auto-run func's options, or null for any other func.</summary>
    private static JsonElement? AutoRunConfig(JsonElement options) =>
        PublishedCodeCache.IntegrationOption(options) == "autoRun"
            && options.TryGetProperty("integration_config", out var config) && config.ValueKind == JsonValueKind.Object
            ? config : null;

    /// <summary>
    /// Sets the crontab of each auto-run func of <paramref name="funcs"/> that has one (after a publish, and at launch for
    /// funcs that came by an import or a restore). A func that drops its crontab, or goes, is dropped by its config itself.
    /// </summary>
    public static Task ScheduleCrontabsAsync(IGrainFactory grains, IEnumerable<FuncInfo> funcs) =>
        Task.WhenAll(funcs.Select(f => (f.Id, Crontab: CrontabOf(f))).Where(f => f.Crontab is not null)
            .Select(f => grains.GetGrain<Crontabs.ICrontabGrain>(CrontabKey(f.Id)).SetAutoRunAsync(f.Crontab!)));

    /// <summary>Queues the funcs of a script just published that run on publish; the task IDs.</summary>
    public Task<IReadOnlyList<string>> QueueAfterPublishAsync(IEnumerable<FuncInfo> funcs) =>
        QueueAsync(funcs.Where(f => RunsAt(f, OnScriptPublish)), OnScriptPublish, _ => $"task-{Guid.NewGuid():N}");

    /// <summary>
    /// Queues every func that runs when a silo starts. Silos starting in the same minute queue one run between them
    /// (the task ID names the func and the minute); a silo starting later runs them again, as each 1.x worker start did.
    /// </summary>
    public async Task<IReadOnlyList<string>> QueueAtLaunchAsync(IGrainFactory grains)
    {
        var directory = grains.GetGrain<IFuncDirectoryGrain>(IFuncDirectoryGrain.Key);
        var all = await Library.LibrarySnapshot.ListAllAsync(page => directory.ListAsync(new FuncFilter(IncludeHidden: true), page));
        await ScheduleCrontabsAsync(grains, all);
        var funcs = all.Where(f => RunsAt(f, OnSystemLaunch)).ToList();
        var minute = clock.GetUtcNow().ToString("yyyyMMddHHmm");
        return await QueueAsync(funcs, OnSystemLaunch, func => $"task-autorun-{Md5.Of(func.Id)[..16]}-{minute}");
    }

    private async Task<IReadOnlyList<string>> QueueAsync(IEnumerable<FuncInfo> funcs, string moment, Func<FuncInfo, string> taskId)
    {
        var queued = new List<string>();
        foreach (var func in funcs)
        {
            var task = new QueuedTask(taskId(func), TaskOrigin.Integration, $"autoRun.{moment}-{func.Id}", func.Id, "{}", 0,
                TaskOrigin.Integration.Describe().Lane);
            await tasks.EnqueueAsync(task);
            queued.Add(task.Id);
        }
        if (queued.Count > 0)
        {
            signal.Notify(TaskOrigin.Integration.Describe().Lane);
        }
        return queued;
    }
}
