namespace OrleansFunc.Common;

/// <summary>
/// An entity grain whose summary is kept in a listing grain: every change writes the state, then
/// puts the new summary into the listing; a deletion takes it off the listing, then clears the
/// state. A crash between the two writes (before the change is answered) can only leave an
/// existing entity unlisted, and the entity lists itself again when it next wakes.
/// </summary>
public abstract class ListedEntityGrain<TState, TInfo>(IPersistentState<TState> stored) : Grain
    where TState : IEntityState
{
    protected string Id => this.GetPrimaryKeyString();

    protected IPersistentState<TState> Stored => stored;

    /// <summary>The summary of the current state.</summary>
    protected abstract TInfo ToInfo();

    /// <summary>Puts the summary into the listing.</summary>
    protected abstract Task UpsertListingAsync(TInfo info);

    /// <summary>Whether the entity exists (a deleted one has a cleared state).</summary>
    protected bool Exists => stored.State.Exists;

    /// <summary>Lists the summary if the listing lacks it.</summary>
    protected abstract Task ListIfMissingAsync(TInfo info);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists)
        {
            await ListIfMissingAsync(ToInfo());
        }
    }

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
