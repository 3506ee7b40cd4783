namespace OrleansFunc.Common;

/// <summary>
/// A listing kept by entity grains: entries by ID in one stored, sorted dictionary. Listings are
/// small (script sets, scripts); each change writes the whole listing.
/// </summary>
public abstract class DirectoryGrainBase<T>(IPersistentState<DirectoryState<T>> state) : Grain
{
    protected IReadOnlyCollection<T> Entries => state.State.Entries.Values;

    protected async Task SetEntryAsync(string id, T entry)
    {
        state.State.Entries[id] = entry;
        await state.WriteStateAsync();
    }

    /// <summary>Adds the entry when its ID is missing (a crash left its entity unlisted); writes nothing otherwise.</summary>
    protected async Task AddIfMissingAsync(string id, T entry)
    {
        if (state.State.Entries.TryAdd(id, entry))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string id)
    {
        if (state.State.Entries.Remove(id))
        {
            await state.WriteStateAsync();
        }
    }
}
