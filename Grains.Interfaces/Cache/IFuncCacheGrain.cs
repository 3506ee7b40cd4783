namespace OrleansFunc.Cache;

/// <summary>
/// <c>DFF.CACHE</c> of one scope (key: the scope, by default the script ID): a Redis-like store of
/// strings, hashes and lists with expiry, held in the cluster so every worker of every silo sees the
/// same values. Values are kept in memory: a cache, not a store.
/// </summary>
[Alias("of.func-cache")]
public interface IFuncCacheGrain : IGrainWithStringKey
{
    /// <summary>Runs one command (<c>set</c>, <c>get</c>, <c>hset</c>, <c>lpush</c>, ...); returns its JSON result.</summary>
    [Alias("run")]
    Task<string> RunAsync(string command, string key, IReadOnlyList<string> args);
}
