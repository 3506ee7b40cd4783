using System.Text.Json;
using OrleansFunc.Common;
using Callbacks = OrleansFunc.Engine.Protocol.WorkerMessages.Callbacks;

namespace OrleansFunc.Engine;

/// <summary>Answers the questions a running script asks the cluster (callback frames).</summary>
public sealed class EngineCallbacks(
    IGrainFactory grains, Funcs.PublishedCodeCache publishedCode, Records.TaskRecordStore tasks, TaskQueueSignal taskQueue, Hosting.OrleansFuncOptions options,
    Records.FuncStore store)
{
    /// <summary>The answers to the callbacks of <paramref name="request"/>'s run.</summary>
    public IRunCallbacks For(FuncRunRequest request) => new RunCallbacks(this, request);

    private sealed class RunCallbacks(EngineCallbacks callbacks, FuncRunRequest request) : IRunCallbacks
    {
        public Task<string> AnswerAsync(string name, JsonElement args) => callbacks.AnswerAsync(request, name, args);
    }

    private async Task<string> AnswerAsync(FuncRunRequest request, string name, JsonElement args)
    {
        switch (name)
        {
            case Callbacks.GetPublishedCode:
                var scriptId = args.GetProperty("scriptId").GetString() ?? "";
                var detail = await publishedCode.GetAsync(scriptId)
                    ?? throw new InvalidOperationException($"No such script: '{scriptId}'");
                return JsonSerializer.Serialize(new { code = detail.Code, codeMD5 = detail.Info.CodeMD5 });
            case Callbacks.GetEnvVariable:
                var variable = await grains.GetGrain<EnvVars.IEnvVarGrain>(args.GetProperty("id").GetString() ?? "").FindValueAsync();
                return variable is null ? "null" : JsonSerializer.Serialize(ForScript(variable));
            case Callbacks.Cache:
                var scope = args.GetProperty("scope").GetString() ?? request.ScriptId;
                return await grains.GetGrain<Cache.IFuncCacheGrain>(scope).RunAsync(
                    args.GetProperty("command").GetString() ?? "",
                    args.GetProperty("key").GetString() ?? "",
                    args.GetProperty("args").EnumerateArray().Select(a => a.GetString() ?? "").ToList());
            case Callbacks.CallFunc:
                // DFF.FUNC: queue another func as a new task of the same origin, in the chain the silo knows.
                var funcId = args.GetProperty("funcId").GetString() ?? "";
                var chain = FuncChain.Extend(request, funcId);
                if (await publishedCode.FindFuncAsync(funcId) is null)
                {
                    throw new InvalidOperationException($"No such Func: '{funcId}'");
                }
                var taskId = $"task-{Guid.NewGuid():N}";
                // As 1.x's _call_func: the child's root task is the caller's task; it runs in the caller's exec mode and
                // trigger time (a synchronous caller has none of its own: the child's is when it is queued).
                var caller = new Records.CallingRun(request.Context.TaskId ?? "ROOT", request.Context.Crontab?.ExecMode ?? request.Context.ExecMode ?? ExecModes.Sync);
                await tasks.EnqueueAsync(new Records.QueuedTask(taskId, request.Context.Origin, request.Context.OriginId, funcId, args.GetProperty("kwargs").GetRawText(), 0,
                    FuncChainJson: JsonSerializer.Serialize(chain), TriggerTime: request.Context.TriggerTime, Caller: caller));
                taskQueue.Notify(Lane.Batch);
                return JsonSerializer.Serialize(taskId);
            case Callbacks.GetDataSource:
                // DFF.SRC: the whole config, secrets decrypted; the worker pools connections by version.
                var source = await grains.GetGrain<DataSources.IDataSourceGrain>(args.GetProperty("id").GetString() ?? "").FindConnectionAsync();
                return source is null
                    ? "null"
                    : JsonSerializer.Serialize(new { id = source.Id, type = source.Type, version = source.Version, config = System.Text.Json.Nodes.JsonNode.Parse(source.ConfigJson) });
            case Callbacks.ListDataSources:
                return JsonSerializer.Serialize(
                    (await ListAllAsync<DataSources.DataSourceInfo>()).Select(s => new { id = s.Id, title = s.Title, description = s.Description, type = s.Type }));
            case Callbacks.ListEnvVariables:
                var values = await Task.WhenAll((await ListAllAsync<EnvVars.EnvVarInfo>()).Select(v => grains.GetGrain<EnvVars.IEnvVarGrain>(v.Id).FindValueAsync()));
                return JsonSerializer.Serialize(values.OfType<EnvVars.EnvVarValue>().Select(ForScript));
            case Callbacks.Store:
                return await AnswerStoreAsync(request, args);
            case Callbacks.GetCustomConfig:
                return JsonSerializer.Serialize(options.ScriptConfig());
            default:
                throw new InvalidOperationException($"Unknown callback '{name}' from script {request.ScriptId}");
        }
    }

    private async Task<string> AnswerStoreAsync(FuncRunRequest request, JsonElement args)
    {
        var scope = args.TryGetProperty("scope", out var given) && given.GetString() is { Length: > 0 } named ? named : request.ScriptId;
        var key = args.GetProperty("key").GetString() ?? "";
        return args.GetProperty("command").GetString() switch
        {
            "set" => JsonSerializer.Serialize(await store.SetAsync(scope, key, args.GetProperty("value").GetString() ?? "null",
                args.TryGetProperty("expires", out var expires) && expires.ValueKind == JsonValueKind.Number ? expires.GetInt32() : null,
                args.TryGetProperty("notExists", out var notExists) && notExists.ValueKind == JsonValueKind.True)),
            "get" => JsonSerializer.Serialize(await store.GetAsync(scope, key)),
            "delete" => JsonSerializer.Serialize(await store.DeleteAsync(scope, key)),
            "keys" => JsonSerializer.Serialize(await store.KeysAsync(scope, key)),
            var unknown => throw Errors.DffException.BadRequest("UnknownStoreCommand", $"DFF.STORE has no command '{unknown}'"),
        };
    }

    /// <summary>An env variable as a run gets it: a secret is marked, so the run masks it in what it logs.</summary>
    private static object ForScript(EnvVars.EnvVarValue variable) =>
        new { id = variable.Id, value = variable.ValueTEXT, autoTypeCasting = variable.AutoTypeCasting, secret = variable.IsSecret };

    /// <summary>Every entry of a listing, page after page.</summary>
    private Task<List<T>> ListAllAsync<T>() where T : Common.IListed =>
        Library.LibrarySnapshot.ListAllAsync(page => grains.DirectoryOf<T>().ListAsync(page));
}
