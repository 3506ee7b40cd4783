using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.Features;

/// <summary>Stored state: the IDs of the features turned on.</summary>
[GenerateSerializer, Alias("of.ExperimentalFeaturesState")]
public sealed class ExperimentalFeaturesState
{
    [Id(0)] public HashSet<string> Enabled { get; set; } = [];
}

public sealed class ExperimentalFeaturesGrain(
    [PersistentState("experimentalFeatures", OrleansFuncSiloExtensions.StorageName)] IPersistentState<ExperimentalFeaturesState> state)
    : Grain, IExperimentalFeaturesGrain
{
    /// <summary>Every feature there is, off until an administrator turns it on.</summary>
    private static readonly (string Id, string Title, string Description)[] Catalog =
    [
        (IExperimentalFeaturesGrain.FuncCacheManager, "Func cache manager",
            "List, search and delete the keys scripts keep with DFF.CACHE (page and /api/v1/func-caches)"),
        (IExperimentalFeaturesGrain.FuncStoreManager, "Func store manager",
            "List, search, edit and delete the entries scripts keep with DFF.STORE (page and /api/v1/func-stores)"),
    ];

    public Task<IReadOnlyList<ExperimentalFeature>> ListAsync() =>
        Task.FromResult<IReadOnlyList<ExperimentalFeature>>(Catalog.Select(f => Describe(f.Id)).ToList());

    public async Task<ExperimentalFeature> SetAsync(string id, bool isEnabled)
    {
        RequireKnown(id);
        var changed = isEnabled ? state.State.Enabled.Add(id) : state.State.Enabled.Remove(id);
        if (changed)
        {
            await state.WriteStateAsync();
        }
        return Describe(id);
    }

    public Task RequireEnabledAsync(string id)
    {
        RequireKnown(id);
        return state.State.Enabled.Contains(id)
            ? Task.CompletedTask
            : throw DffException.Condition("FeatureDisabled", $"The experimental feature '{id}' is off; an administrator can turn it on",
                new { feature = id });
    }

    private ExperimentalFeature Describe(string id)
    {
        var feature = Catalog.Single(f => f.Id == id);
        return new ExperimentalFeature(feature.Id, feature.Title, feature.Description, state.State.Enabled.Contains(id));
    }

    private static void RequireKnown(string id)
    {
        if (!Catalog.Any(f => f.Id == id))
        {
            throw DffException.NotFound("NoSuchFeature", $"No such experimental feature: '{id}'", new { id });
        }
    }
}
