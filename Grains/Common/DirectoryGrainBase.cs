namespace OrleansFunc.Common;

/// <summary>
/// A listing kept by entity grains: entries by ID, held sorted in memory and stored one row per entry
/// (<see cref="DirectoryEntryStore"/>), so a change writes one row however long the listing is. Listings
/// that were stored whole in the grain state (before the rows) move to rows on their first activation.
/// </summary>
public abstract class DirectoryGrainBase<T>(IPersistentState<DirectoryState<T>> legacy, DirectoryEntryStore rows) : Grain
{
    private readonly SortedDictionary<string, T> _entries = new(StringComparer.Ordinal);

    private string _listing = "";

    protected IReadOnlyCollection<T> Entries => _entries.Values;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The listing's row key: the kind of listing (its grain state's name) and the grain's key.
        _listing = $"{GetType().Name.Split('`')[0]}/{this.GetPrimaryKeyString()}";
        foreach (var (id, entry) in await rows.LoadAsync<T>(_listing))
        {
            _entries[id] = entry;
        }
        if (legacy.State.Entries.Count > 0)
        {
            // Rows first, then the whole-listing state is cleared: a crash between leaves both, and the rows win.
            var moved = legacy.State.Entries.Where(e => !_entries.ContainsKey(e.Key)).Select(e => (e.Key, e.Value)).ToList();
            await rows.SetAsync(_listing, moved);
            foreach (var (id, entry) in moved)
            {
                _entries[id] = entry;
            }
            await legacy.ClearStateAsync();
        }
        await base.OnActivateAsync(cancellationToken);
    }

    protected async Task SetEntryAsync(string id, T entry)
    {
        await rows.SetAsync(_listing, [(id, entry)]);
        _entries[id] = entry;
    }

    /// <summary>Adds the entry when its ID is missing (a crash left its entity unlisted); writes nothing otherwise.</summary>
    protected async Task AddIfMissingAsync(string id, T entry)
    {
        if (!_entries.ContainsKey(id))
        {
            await SetEntryAsync(id, entry);
        }
    }

    public async Task RemoveAsync(string id)
    {
        if (_entries.ContainsKey(id))
        {
            await rows.RemoveAsync(_listing, id);
            _entries.Remove(id);
        }
    }
}
