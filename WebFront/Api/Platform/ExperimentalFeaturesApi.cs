using OrleansFunc.Common;
using OrleansFunc.Features;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Platform;

/// <summary><c>/api/v1/experimental-features</c>: the installation's switches (SPEC M8); administrators change them.</summary>
public static class ExperimentalFeaturesApi
{
    public sealed record FeatureSwitch(bool IsEnabled);

    public static RouteGroupBuilder MapExperimentalFeaturesApi(this RouteGroupBuilder api)
    {
        var features = api.MapGroup("/experimental-features").WithTags("Experimental features");
        features.MapGet("/", ListAsync);
        features.MapPatch("/{id}", SetAsync).RequireAuthorization(UsersApi.AdminPolicy).RecordsOperation(EntityType.ExperimentalFeature, "modify");
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<ExperimentalFeature>>> ListAsync(IGrainFactory grains) =>
        Envelopes.Ok(await Features(grains).ListAsync());

    private static async Task<EnvelopeResult<ExperimentalFeature>> SetAsync(string id, FeatureSwitch body, IGrainFactory grains) =>
        Envelopes.Ok(await Features(grains).SetAsync(id, body.IsEnabled));

    private static IExperimentalFeaturesGrain Features(IGrainFactory grains) =>
        grains.GetGrain<IExperimentalFeaturesGrain>(IExperimentalFeaturesGrain.Key);
}
