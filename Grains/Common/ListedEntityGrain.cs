namespace OrleansFunc.Common;

/// <summary>
/// An entity grain whose summary is kept in a listing grain: every change writes the state, then
/// puts the new summary into the listing.
/// </summary>
public abstract class ListedEntityGrain<TState, TInfo>(IPersistentState<TState> stored) : Grain
{
    protected string Id => this.GetPrimaryKeyString();

    protected IPersistentState<TState> Stored => stored;

    /// <summary>The summary of the current state.</summary>
    protected abstract TInfo ToInfo();

    /// <summary>Puts the summary into the listing.</summary>
    protected abstract Task UpsertListingAsync(TInfo info);

    /// <summary>Writes <paramref name="next"/> as the new state and lists it.</summary>
    protected async Task<TInfo> SaveAsync(TState next)
    {
        stored.State = next;
        await stored.WriteStateAsync();
        var info = ToInfo();
        await UpsertListingAsync(info);
        return info;
    }
}
