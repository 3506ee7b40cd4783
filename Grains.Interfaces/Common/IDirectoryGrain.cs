namespace OrleansFunc.Common;

/// <summary>An entity that a listing holds by its ID.</summary>
public interface IListed
{
    string Id { get; }
}

/// <summary>
/// The listing of one kind of entity, kept up to date by the entity grains. One activation per kind
/// (its key is the kind's name, see <see cref="Directories"/>).
/// </summary>
[SafeToRepeat]
[Alias("of.directory`1")]
public interface IDirectoryGrain<T> : IGrainWithStringKey where T : IListed
{
    [Alias("upsert")]
    Task UpsertAsync(T entry);

    /// <summary>Lists the entry if its ID is not listed yet.</summary>
    [Alias("add-if-missing")]
    Task AddIfMissingAsync(T entry);

    [Alias("remove")]
    Task RemoveAsync(string id);

    /// <summary>Entries ordered by ID.</summary>
    [Alias("list")]
    Task<Page<T>> ListAsync(PageRequest page);
}

/// <summary>Finding the listing of a kind.</summary>
public static class Directories
{
    public static IDirectoryGrain<T> DirectoryOf<T>(this IGrainFactory grains) where T : IListed =>
        grains.GetGrain<IDirectoryGrain<T>>(typeof(T).Name);
}
