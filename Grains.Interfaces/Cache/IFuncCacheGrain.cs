using OrleansFunc.Common;
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

    /// <summary>The live keys matching a glob <paramref name="pattern"/> (<c>*</c>, <c>?</c>), for the cache manager.</summary>
    [SafeToRepeat]
    [Alias("describe")]
    Task<IReadOnlyList<CacheKeyInfo>> DescribeAsync(string pattern);
}

/// <summary>One key as the cache manager shows it: type, seconds to live (-1: none) and the start of its value.</summary>
[GenerateSerializer, Immutable, Alias("of.CacheKeyInfo")]
public sealed record CacheKeyInfo(string Scope, string Key, string Type, int TtlSeconds, string Preview);

/// <summary>The scopes that hold <c>DFF.CACHE</c> keys (key <see cref="Key"/>), told by the scopes themselves; memory only, like the caches.</summary>
[SafeToRepeat]
[Alias("of.cache-scopes")]
public interface ICacheScopeDirectoryGrain : IGrainWithStringKey
{
    const string Key = "all";

    [Alias("add"), Orleans.Concurrency.OneWay]
    Task AddAsync(string scope);

    [Alias("list")]
    Task<IReadOnlyList<string>> ListAsync();
}

/// <summary>
/// The cluster's cache generation (key <see cref="Key"/>): bumping it tells every host to drop its
/// func result caches and published-code copies.
/// </summary>
[Alias("of.cache-epoch")]
public interface ICacheEpochGrain : IGrainWithStringKey
{
    const string Key = "all";

    [SafeToRepeat]
    [Alias("get")]
    Task<long> GetAsync();

    [Alias("bump")]
    Task<long> BumpAsync();
}
