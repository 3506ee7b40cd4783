namespace OrleansFunc.Cache;

/// <summary>Memory only: a restart starts a new generation, which at worst clears the caches once more.</summary>
public sealed class CacheEpochGrain : Grain, ICacheEpochGrain
{
    private long _epoch;

    public Task<long> GetAsync() => Task.FromResult(_epoch);

    public Task<long> BumpAsync() => Task.FromResult(++_epoch);
}
