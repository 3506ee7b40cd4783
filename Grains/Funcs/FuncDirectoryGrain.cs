using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Hosting;

namespace OrleansFunc.Funcs;

public sealed class FuncDirectoryGrain(
    [PersistentState("funcDirectory", OrleansFuncSiloExtensions.StorageName)] IPersistentState<DirectoryState<FuncInfo[]>> state, DirectoryEntryStore rows)
    : DirectoryGrainBase<FuncInfo[]>(state, rows), IFuncDirectoryGrain
{
    public Task SetScriptFuncsAsync(string scriptId, IReadOnlyList<FuncInfo> funcs) => SetEntryAsync(scriptId, [.. funcs]);

    public Task AddScriptFuncsIfMissingAsync(string scriptId, IReadOnlyList<FuncInfo> funcs) => AddIfMissingAsync(scriptId, [.. funcs]);

    public Task RemoveScriptAsync(string scriptId) => RemoveAsync(scriptId);

    public Task<Page<FuncInfo>> ListAsync(FuncFilter filter, PageRequest page)
    {
        var matching = Entries.SelectMany(funcs => funcs).Where(f => Matches(f, filter)).OrderBy(f => f.Id, StringComparer.Ordinal).ToList();
        return Task.FromResult(Page<FuncInfo>.Of(matching, page));
    }

    private static bool Matches(FuncInfo func, FuncFilter filter)
    {
        var scriptId = func.Id[..func.Id.LastIndexOf('.')];
        return (filter.IncludeHidden || !IsHidden(func))
               && (filter.FuncId is null || func.Id == filter.FuncId)
               && (filter.FuncName is null || func.Name == filter.FuncName)
               && (filter.ScriptId is null || scriptId == filter.ScriptId)
               && (filter.ScriptSetId is null || scriptId.StartsWith(filter.ScriptSetId + "__", StringComparison.Ordinal))
               && (filter.Categories is not { Count: > 0 } || filter.Categories.Contains(func.Category))
               && (filter.Tags is not { Count: > 0 } || filter.Tags.All(func.Tags.Contains));
    }

    private static bool IsHidden(FuncInfo func)
    {
        using var options = JsonDocument.Parse(func.OptionsJson);
        return options.RootElement.TryGetProperty("is_hidden", out var hidden) && hidden.ValueKind == JsonValueKind.True;
    }
}
