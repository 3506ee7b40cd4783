using System.Collections.Concurrent;
using OrleansFunc.Errors;
using OrleansFunc.Scripts;

namespace OrleansFunc.Funcs;

/// <summary>
/// This process's copy of published scripts (code, MD5, funcs), each kept for a second: the calls of
/// a hot func do not all queue at its script's single activation, and a publish is live everywhere
/// within a second.
/// </summary>
public sealed class PublishedCodeCache(IGrainFactory grains, TimeProvider clock)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (Task<ScriptDetail?> Detail, DateTimeOffset FetchedAt)> _scripts = new();

    /// <summary>The published script, or null when there is no such script.</summary>
    public Task<ScriptDetail?> GetAsync(string scriptId)
    {
        var now = clock.GetUtcNow();
        var entry = _scripts.GetOrAdd(scriptId, id => (FetchAsync(id), now));
        if (now - entry.FetchedAt > Freshness || entry.Detail.IsFaulted)
        {
            entry = (FetchAsync(scriptId), now);
            _scripts[scriptId] = entry;
        }
        return entry.Detail;
    }

    private async Task<ScriptDetail?> FetchAsync(string scriptId)
    {
        try
        {
            return await grains.GetGrain<IScriptGrain>(scriptId).GetAsync();
        }
        catch (DffException missing) when (missing.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }
}
