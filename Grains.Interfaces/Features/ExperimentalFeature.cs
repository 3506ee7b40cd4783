using OrleansFunc.Common;

namespace OrleansFunc.Features;

/// <summary>A switch of this installation (SPEC M8): each shows or hides a real feature.</summary>
[GenerateSerializer, Immutable, Alias("of.ExperimentalFeature")]
public sealed record ExperimentalFeature(string Id, string Title, string Description, bool IsEnabled);

/// <summary>The experimental features of the installation (key <see cref="Key"/>), stored with it.</summary>
[SafeToRepeat]
[Alias("of.experimental-features")]
public interface IExperimentalFeaturesGrain : IGrainWithStringKey
{
    const string Key = "installation";

    /// <summary>The func cache manager: list, search and delete <c>DFF.CACHE</c> keys.</summary>
    const string FuncCacheManager = "funcCacheManager";

    /// <summary>The func store manager: list, search, edit and delete <c>DFF.STORE</c> entries.</summary>
    const string FuncStoreManager = "funcStoreManager";

    [Alias("list")]
    Task<IReadOnlyList<ExperimentalFeature>> ListAsync();

    /// <summary>Turns a feature on or off; 404.41 for an unknown feature.</summary>
    [Alias("set")]
    Task<ExperimentalFeature> SetAsync(string id, bool isEnabled);

    /// <summary>403.21 unless the feature is on.</summary>
    [Alias("require")]
    Task RequireEnabledAsync(string id);
}
