using OrleansFunc.AuthLinks;
using OrleansFunc.Batches;
using OrleansFunc.Common;
using OrleansFunc.Crontabs;
using OrleansFunc.DataSources;
using OrleansFunc.EnvVars;
using OrleansFunc.Errors;
using OrleansFunc.Library;
using OrleansFunc.Records;
using OrleansFunc.Scripts;
using OrleansFunc.ScriptSets;

namespace OrleansFunc.Packages;

/// <summary>
/// One import between its preview and its confirmation. The package is held in memory only: an
/// unconfirmed import changes nothing and is forgotten after <see cref="Lifetime"/> (or a restart).
/// </summary>
public sealed class PackageImportGrain(ScriptExecution execution, ImportHistoryStore history, TimeProvider clock)
    : Grain, IPackageImportGrain
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private PackageContent? _package;
    private ImportPreview? _preview;

    public async Task<ImportPreview> StageAsync(PackageContent content)
    {
        // The publish check of every script now, so that a confirmed import cannot fail on code.
        var sets = new List<ScriptSetContent>();
        var notes = new List<MigrationNote>();
        foreach (var set in content.ScriptSets)
        {
            var scripts = new List<ScriptContent>();
            foreach (var script in set.Scripts)
            {
                try
                {
                    var (funcs, scriptNotes) = await execution.ReviewAsync(script.Id, script.Code);
                    scripts.Add(script with { Funcs = funcs });
                    notes.AddRange(scriptNotes);
                }
                catch (DffException failed) when (failed.Kind == ErrorKind.PublishFailed)
                {
                    throw new DffException(ErrorKind.PublishFailed, null, $"Script '{script.Id}' of the package: {failed.Message}",
                        new { scriptId = script.Id, error = failed.Message });
                }
            }
            sets.Add(set with { Scripts = scripts });
        }
        _package = content with { ScriptSets = sets };
        _preview = new ImportPreview(this.GetPrimaryKeyString(), await DiffAsync(_package), content.Note, clock.GetUtcNow() + Lifetime, notes);
        this.DelayDeactivation(Lifetime);
        return _preview;
    }

    public async Task<ImportRecord> ConfirmAsync(Actor actor)
    {
        if (_package is not { } package || _preview is not { } preview || preview.ExpireTime < clock.GetUtcNow())
        {
            throw DffException.NotFound("NoSuchImport", "No import waits under this confirm ID (it expired, was confirmed, or the server restarted); upload the package again",
                new { confirmId = this.GetPrimaryKeyString() });
        }
        _package = null;
        var restorePointId = await GrainFactory.GetGrain<ILibraryGrain>(ILibraryGrain.Key).ImportAsync(package, package.Note, actor);
        var record = new ImportRecord($"imp-{this.GetPrimaryKeyString()}", clock.GetUtcNow(), actor.UserId, actor.Username, package.Note,
            restorePointId, preview.Diff);
        await history.AppendAsync(record);
        DeactivateOnIdle();
        return record;
    }

    private async Task<IReadOnlyList<ImportDiffEntry>> DiffAsync(PackageContent package)
    {
        var diff = new List<ImportDiffEntry>();
        async Task AddAsync<T>(EntityType type, string id, string title, Func<Task<T>> get) =>
            diff.Add(new ImportDiffEntry(type.WireName(), id, title, await PackageEntities.ExistsAsync(get) ? "replace" : "add"));
        foreach (var set in package.ScriptSets)
        {
            await AddAsync(EntityType.ScriptSet, set.Id, set.Title, GrainFactory.GetGrain<IScriptSetGrain>(set.Id).GetAsync);
            foreach (var script in set.Scripts)
            {
                await AddAsync(EntityType.Script, script.Id, script.Title, GrainFactory.GetGrain<IScriptGrain>(script.Id).GetAsync);
            }
        }
        foreach (var l in package.AuthLinks)
        {
            await AddAsync(EntityType.AuthLink, l.Id, l.FuncId, GrainFactory.GetGrain<IAuthLinkGrain>(l.Id).GetAsync);
        }
        foreach (var c in package.CrontabConfigs)
        {
            await AddAsync(EntityType.CrontabConfig, c.Id, c.FuncId, GrainFactory.GetGrain<ICrontabGrain>(c.Id).GetAsync);
        }
        foreach (var b in package.Batches)
        {
            await AddAsync(EntityType.Batch, b.Id, b.FuncId, GrainFactory.GetGrain<IBatchGrain>(b.Id).GetAsync);
        }
        foreach (var d in package.DataSources)
        {
            var source = GrainFactory.GetGrain<IDataSourceGrain>(d.Id);
            diff.Add(await PackageEntities.ExistsAsync(source.GetAsync)
                ? DataSourceImportDiff.Of(await source.GetAsync(), d)
                : new ImportDiffEntry(EntityType.DataSource.WireName(), d.Id, d.Title, "add"));
        }
        foreach (var e in package.EnvVariables)
        {
            await AddAsync(EntityType.EnvVariable, e.Id, e.Title, GrainFactory.GetGrain<IEnvVarGrain>(e.Id).GetAsync);
        }
        return diff;
    }
}
