using OrleansFunc.AuthLinks;
using OrleansFunc.Batches;
using OrleansFunc.Common;
using OrleansFunc.Crontabs;
using OrleansFunc.DataSources;
using OrleansFunc.EnvVars;
using OrleansFunc.Library;

namespace OrleansFunc.Packages;

/// <summary>What to export: the sets, and which of the things around them.</summary>
public sealed record ExportRequest(
    IReadOnlyList<string> ScriptSetIds, bool IncludeAuthLinks, bool IncludeCrontabConfigs, bool IncludeBatches,
    IReadOnlyList<string> EnvVariableIds, IReadOnlyList<string> DataSourceIds, string Note);

/// <summary>Gathers the content of a package from the grains: links, configs and batches go with the sets whose funcs they call.</summary>
public static class PackageExporter
{
    public static async Task<PackageContent> GatherAsync(IGrainFactory grains, ExportRequest request, Actor actor)
    {
        var sets = new List<ScriptSetContent>();
        foreach (var setId in request.ScriptSetIds.Distinct())
        {
            sets.Add(await LibrarySnapshot.TakeSetAsync(grains, setId));
        }
        var scriptIds = sets.SelectMany(s => s.Scripts).Select(s => s.Id).ToHashSet();
        bool CallsExported(string funcId) => funcId.LastIndexOf('.') is > 0 and var dot && scriptIds.Contains(funcId[..dot]);

        var links = request.IncludeAuthLinks ? await ListAllAsync<AuthLinkInfo>(grains, l => CallsExported(l.FuncId)) : [];
        var crontabs = request.IncludeCrontabConfigs ? await ListAllAsync<CrontabConfigInfo>(grains, c => CallsExported(c.FuncId)) : [];
        var batches = request.IncludeBatches ? await ListAllAsync<BatchInfo>(grains, b => CallsExported(b.FuncId)) : [];
        var envVariables = await Task.WhenAll(request.EnvVariableIds.Distinct().Select(id => grains.GetGrain<IEnvVarGrain>(id).GetAsync()));
        // A source's listing never holds its secrets: exports carry none.
        var dataSources = await Task.WhenAll(request.DataSourceIds.Distinct().Select(id => grains.GetGrain<IDataSourceGrain>(id).GetAsync()));
        return new PackageContent(sets, links, crontabs, batches, envVariables, dataSources, request.Note, actor.Username, DateTimeOffset.UtcNow);
    }

    private static async Task<IReadOnlyList<T>> ListAllAsync<T>(IGrainFactory grains, Func<T, bool> wanted) where T : IListed =>
        (await LibrarySnapshot.ListAllAsync(page => grains.DirectoryOf<T>().ListAsync(page))).Where(wanted).ToList();
}
