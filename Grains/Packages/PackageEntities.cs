using OrleansFunc.AuthLinks;
using OrleansFunc.Batches;
using OrleansFunc.Common;
using OrleansFunc.Crontabs;
using OrleansFunc.DataSources;
using OrleansFunc.EnvVars;
using OrleansFunc.Errors;

namespace OrleansFunc.Packages;

/// <summary>Writes the links, crontab configs, batches and env variables of a package: each replaces the one of its ID, or is added.</summary>
public static class PackageEntities
{
    public static async Task ApplyAsync(IGrainFactory grains, PackageContent package)
    {
        foreach (var d in package.DataSources)
        {
            // Secrets are absent from packages: a replaced source keeps its own unless its destination changes
            // (then they are dropped, as the preview said). No connectivity check: a package often comes from
            // another network, and the source is usable once its secrets are set.
            var grain = grains.GetGrain<IDataSourceGrain>(d.Id);
            var exists = await ExistsAsync(grain.GetAsync);
            if (exists && (await grain.GetAsync()).Type != d.Type)
            {
                throw DffException.BadRequest("DataSourceTypeDiffers",
                    $"Data source '{d.Id}' is of another type here than in the package; a source's type cannot change", new { id = d.Id });
            }
            var fields = new DataSourceFields(d.Title, d.Description, exists ? null : d.Type, d.ConfigJson, SecretsPending: true);
            var prepared = await grain.PrepareAsync(fields, creating: !exists);
            await (exists ? grain.UpdateAsync(fields, prepared.Version) : grain.CreateAsync(fields, prepared.Version));
        }
        foreach (var e in package.EnvVariables)
        {
            // A password never travels in a package: an existing variable keeps its own.
            var value = e.AutoTypeCasting == AutoTypeCasting.Password && string.IsNullOrEmpty(e.ValueTEXT) ? null : e.ValueTEXT;
            var fields = new EnvVarFields(e.Title, e.Description, value, e.AutoTypeCasting);
            var grain = grains.GetGrain<IEnvVarGrain>(e.Id);
            await (await grain.FindAsync() is null ? grain.CreateAsync(fields) : grain.UpdateAsync(fields));
        }
        foreach (var l in package.AuthLinks)
        {
            var fields = new AuthLinkFields(l.FuncId, l.FuncCallKwargsJson, l.Throttling, l.ExpireTime, l.ExpireTime is null,
                l.ShowInDoc, l.IsDisabled, l.Note);
            var grain = grains.GetGrain<IAuthLinkGrain>(l.Id);
            await (await ExistsAsync(grain.GetAsync) ? grain.UpdateAsync(fields) : grain.CreateAsync(fields));
        }
        foreach (var c in package.CrontabConfigs)
        {
            var fields = new CrontabConfigFields(c.FuncId, c.FuncCallKwargsJson, c.Crontab, c.TimeZone ?? "", c.ExpireTime, c.ExpireTime is null,
                c.IsDisabled, c.TaskRecordLimit, c.Note, MissedRuns: c.MissedRuns, Retry: c.Retry, ClearRetry: c.Retry is null,
                ErrorHandlerFuncId: await HandlerHereAsync(grains, c.ErrorHandlerFuncId));
            var grain = grains.GetGrain<ICrontabGrain>(c.Id);
            await (await ExistsAsync(grain.GetAsync) ? grain.UpdateAsync(fields) : grain.CreateAsync(fields));
        }
        foreach (var b in package.Batches)
        {
            var fields = new BatchFields(b.FuncId, b.FuncCallKwargsJson, b.ShowInDoc, b.IsDisabled, b.Note,
                Retry: b.Retry, ClearRetry: b.Retry is null, ErrorHandlerFuncId: await HandlerHereAsync(grains, b.ErrorHandlerFuncId));
            var grain = grains.GetGrain<IBatchGrain>(b.Id);
            await (await ExistsAsync(grain.GetAsync) ? grain.UpdateAsync(fields) : grain.CreateAsync(fields));
        }
    }

    /// <summary>
    /// The error handler a package's entry names, when it is a published func here (the package's scripts are applied
    /// first); else "" (none): a handler of the other installation must not stop the import.
    /// </summary>
    private static async Task<string> HandlerHereAsync(IGrainFactory grains, string? handler) =>
        handler is not null && await ExistsAsync(async () => { await Funcs.CallRules.RequireFuncExistsAsync(grains, handler); return true; })
            ? handler
            : "";

    /// <summary>Whether the entity exists: its <c>GetAsync</c> answers rather than 404.41.</summary>
    public static async Task<bool> ExistsAsync<T>(Func<Task<T>> get)
    {
        try
        {
            await get();
            return true;
        }
        catch (DffException missing) when (missing.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }
}
