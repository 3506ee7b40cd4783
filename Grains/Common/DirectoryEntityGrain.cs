using OrleansFunc.Errors;

namespace OrleansFunc.Common;

/// <summary>
/// A <see cref="ListedEntityGrain{TState, TInfo}"/> listed in the directory grain of its kind
/// (<see cref="Directories.DirectoryOf{T}"/>): the listing, the existence check and the
/// deletion every such entity has, in one place.
/// </summary>
public abstract class DirectoryEntityGrain<TState, TInfo>(IPersistentState<TState> stored) : ListedEntityGrain<TState, TInfo>(stored)
    where TState : IEntityState
    where TInfo : IListed
{
    /// <summary>How a missing one is named: 404.41 with this reason, "No such {Noun}: 'id'".</summary>
    protected abstract (string Reason, string Noun) Missing { get; }

    protected IDirectoryGrain<TInfo> Directory => GrainFactory.DirectoryOf<TInfo>();

    protected override Task UpsertListingAsync(TInfo info) => Directory.UpsertAsync(info);

    protected override Task ListIfMissingAsync(TInfo info) => Directory.AddIfMissingAsync(info);

    /// <summary>404.41 unless the entity exists.</summary>
    protected void RequireExists()
    {
        if (!Exists)
        {
            throw DffException.NotFound(Missing.Reason, $"No such {Missing.Noun}: '{Id}'", new { id = Id });
        }
    }

    /// <summary>Takes the entity off its listing, then clears its state (see the base class for why in that order).</summary>
    protected async Task UnlistAndClearAsync()
    {
        await Directory.RemoveAsync(Id);
        await Stored.ClearStateAsync();
    }
}
