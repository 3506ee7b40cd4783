namespace OrleansFunc.Cache;

public sealed class CacheScopeDirectoryGrain : Grain, ICacheScopeDirectoryGrain
{
    private readonly SortedSet<string> _scopes = new(StringComparer.Ordinal);

    public Task AddAsync(string scope)
    {
        _scopes.Add(scope);
        // Kept as long as the caches it lists, which stay a day after their last use.
        DelayDeactivation(TimeSpan.FromDays(1));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>(_scopes.ToList());
}
