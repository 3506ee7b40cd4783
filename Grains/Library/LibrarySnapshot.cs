using OrleansFunc.Common;
using OrleansFunc.Scripts;
using OrleansFunc.ScriptSets;

namespace OrleansFunc.Library;

/// <summary>Reading the whole script library out of its grains, and writing one back into them.</summary>
public static class LibrarySnapshot
{
    /// <summary>Every set with its scripts (code, draft, funcs), ordered by ID.</summary>
    public static async Task<IReadOnlyList<ScriptSetContent>> TakeAsync(IGrainFactory grains)
    {
        var sets = await ListAllAsync(page => grains.DirectoryOf<ScriptSetInfo>().ListAsync(page));
        var contents = new List<ScriptSetContent>();
        foreach (var set in sets.OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            contents.Add(await TakeSetAsync(grains, set.Id));
        }
        return contents;
    }

    /// <summary>
    /// Writes <paramref name="sets"/> into the library: each replaces the set of its ID whole; with
    /// <paramref name="removeOthers"/>, sets not among them are removed (a restore), otherwise kept (an import).
    /// </summary>
    public static async Task<LibraryChange> ApplyAsync(
        IGrainFactory grains, IReadOnlyList<ScriptSetContent> sets, bool removeOthers, string note, Actor actor)
    {
        var removed = new List<string>();
        if (removeOthers)
        {
            var wanted = sets.Select(s => s.Id).ToHashSet();
            foreach (var set in await ListAllAsync(page => grains.DirectoryOf<ScriptSetInfo>().ListAsync(page)))
            {
                if (!wanted.Contains(set.Id))
                {
                    await grains.GetGrain<IScriptSetGrain>(set.Id).ReplaceAsync(null, note, actor);
                    removed.Add(set.Id);
                }
            }
        }
        foreach (var set in sets)
        {
            await grains.GetGrain<IScriptSetGrain>(set.Id).ReplaceAsync(set, note, actor);
        }
        return new LibraryChange(sets.Select(s => s.Id).ToList(), removed);
    }

    /// <summary>One set with its scripts; 404.41 when there is no such set.</summary>
    public static async Task<ScriptSetContent> TakeSetAsync(IGrainFactory grains, string setId)
    {
        var set = await grains.GetGrain<IScriptSetGrain>(setId).GetAsync();
        var scripts = await ListAllAsync(page => grains.GetGrain<IScriptDirectoryGrain>(IScriptDirectoryGrain.Key).ListAsync(setId, page));
        var details = await Task.WhenAll(scripts.Select(s => grains.GetGrain<IScriptGrain>(s.Id).GetAsync()));
        return new ScriptSetContent(set.Id, set.Title, set.Description, details
            .OrderBy(d => d.Info.Id, StringComparer.Ordinal)
            .Select(d => new ScriptContent(d.Info.Id, d.Info.Title, d.Info.Description, d.Code, d.CodeDraft, d.Funcs))
            .ToList());
    }

    /// <summary>Every item of a paged listing.</summary>
    public static async Task<List<T>> ListAllAsync<T>(Func<PageRequest, Task<Page<T>>> list)
    {
        var all = new List<T>();
        for (var number = 1; ; number++)
        {
            var page = await list(new PageRequest(number, PageRequest.MaxPageSize));
            all.AddRange(page.Items);
            if (page.Items.Count == 0 || all.Count >= page.TotalCount)
            {
                return all;
            }
        }
    }
}
