using OrleansFunc.Cache;
using OrleansFunc.Common;
using OrleansFunc.Features;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Platform;

/// <summary>
/// Clearing the result and code caches of the cluster (SPEC U1), and the func cache manager for
/// <c>DFF.CACHE</c> keys, shown while its experimental feature is on.
/// </summary>
public static class CachesApi
{
    public sealed record CacheCleared(long Generation);

    public sealed record DeletedCacheKey(string Scope, string Key);

    public static RouteGroupBuilder MapCachesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/cache/clear", ClearAsync).WithTags("System").RequireAuthorization(UsersApi.AdminPolicy)
            .RecordsOperation(EntityType.Cache, "clear");
        var caches = api.MapGroup("/func-caches").WithTags("Func cache manager").RequireAuthorization(UsersApi.AdminPolicy);
        caches.MapGet("/", ListAsync);
        caches.MapDelete("/{scope}/{key}", DeleteAsync).RecordsOperation(EntityType.FuncCache, "delete");
        return api;
    }

    /// <summary>Drops the caches of every host before answering (a host that misses the word sees the new generation within two seconds).</summary>
    private static async Task<EnvelopeResult<CacheCleared>> ClearAsync(IGrainFactory grains, HostCaches caches)
    {
        var generation = await grains.GetGrain<ICacheEpochGrain>(ICacheEpochGrain.Key).BumpAsync();
        caches.Clear();
        await grains.GetGrain<Hosts.IHostRegistryGrain>(Hosts.IHostRegistryGrain.Key).CachesClearedAsync();
        return Envelopes.Ok(new CacheCleared(generation));
    }

    /// <summary>Keys of one scope (or every scope) matching a glob <c>pattern</c>.</summary>
    private static async Task<EnvelopeResult<IReadOnlyList<CacheKeyInfo>>> ListAsync(string? scope, string? pattern, IGrainFactory grains)
    {
        await RequireManagerAsync(grains);
        var scopes = scope is { Length: > 0 } ? [scope] : await grains.GetGrain<ICacheScopeDirectoryGrain>(ICacheScopeDirectoryGrain.Key).ListAsync();
        var keys = await Task.WhenAll(scopes.Select(s => grains.GetGrain<IFuncCacheGrain>(s).DescribeAsync(pattern ?? "*")));
        return Envelopes.Ok<IReadOnlyList<CacheKeyInfo>>(keys.SelectMany(k => k).ToList());
    }

    private static async Task<EnvelopeResult<DeletedCacheKey>> DeleteAsync(string scope, string key, IGrainFactory grains)
    {
        await RequireManagerAsync(grains);
        var deleted = await grains.GetGrain<IFuncCacheGrain>(scope).RunAsync("delete", key, []);
        return deleted == "0"
            ? throw Errors.DffException.NotFound("NoSuchCacheKey", $"No such DFF.CACHE key: '{key}' in scope '{scope}'", new { scope, key })
            : Envelopes.Ok(new DeletedCacheKey(scope, key));
    }

    private static Task RequireManagerAsync(IGrainFactory grains) =>
        grains.GetGrain<IExperimentalFeaturesGrain>(IExperimentalFeaturesGrain.Key).RequireEnabledAsync(IExperimentalFeaturesGrain.FuncCacheManager);
}
