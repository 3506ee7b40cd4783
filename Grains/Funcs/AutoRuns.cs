using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Records;

namespace OrleansFunc.Funcs;

/// <summary>
/// Funcs published with <c>DFF.API(integration='autoRun', integration_config={...})</c>, as DataFlux Func 1.x runs
/// them: queued as tasks of origin <c>integration</c> just after their script is published (<c>onPublish</c>) and
/// when a silo starts (<c>onLaunch</c>). Their task's origin ID says which (<c>autoRun.onScriptPublish-&lt;funcId&gt;</c>).
/// </summary>
public sealed class AutoRuns(TaskRecordStore tasks, TaskQueueSignal signal, TimeProvider clock)
{
    /// <summary>The moments of <c>integration_config</c> (as the publish check names them).</summary>
    public const string OnScriptPublish = "onScriptPublish";

    public const string OnSystemLaunch = "onSystemLaunch";

    /// <summary>Whether <paramref name="func"/> is an auto-run func that runs at <paramref name="moment"/>.</summary>
    public static bool RunsAt(FuncInfo func, string moment)
    {
        using var options = JsonDocument.Parse(func.OptionsJson);
        return options.RootElement.TryGetProperty("integration", out var integration) && integration.ValueKind == JsonValueKind.String
            && integration.GetString() == "autoRun"
            && options.RootElement.TryGetProperty("integration_config", out var config) && config.ValueKind == JsonValueKind.Object
            && config.TryGetProperty(moment, out var wanted) && wanted.ValueKind == JsonValueKind.True;
    }

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
        var funcs = (await Library.LibrarySnapshot.ListAllAsync(page => directory.ListAsync(new FuncFilter(IncludeHidden: true), page)))
            .Where(f => RunsAt(f, OnSystemLaunch)).ToList();
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
