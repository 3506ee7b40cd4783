using System.Text.Encodings.Web;
using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Features;
using OrleansFunc.Records;
using OrleansFunc.Stores;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Platform;

/// <summary>The func store manager: the <c>DFF.STORE</c> entries scripts keep, listed, edited and deleted while its experimental feature is on.</summary>
public static class FuncStoresApi
{
    /// <param name="ValueJSON">The new value as JSON text (any JSON value).</param>
    /// <param name="Expires">Seconds from now until the entry expires; none keeps it for good.</param>
    public sealed record SetFuncStoreEntry(string? ValueJSON, int? Expires);

    public sealed record DeletedFuncStoreEntry(string Scope, string Key);

    public static RouteGroupBuilder MapFuncStoresApi(this RouteGroupBuilder api)
    {
        var stores = api.MapGroup("/func-stores").WithTags("Func store manager").RequireAuthorization(UsersApi.AdminPolicy);
        stores.MapGet("/", ListAsync);
        stores.MapPut("/{scope}/{key}", SetAsync).RecordsOperation(EntityType.FuncStore, "modify");
        stores.MapDelete("/{scope}/{key}", DeleteAsync).RecordsOperation(EntityType.FuncStore, "delete");
        return api;
    }

    /// <summary>Entries of one scope (or every scope) whose key matches a glob <c>pattern</c> (<c>*</c>, <c>?</c>), by scope and key.</summary>
    private static async Task<EnvelopeResult<IReadOnlyList<FuncStoreEntry>>> ListAsync(
        string? scope, string? pattern, [AsParameters] Paging paging, IGrainFactory grains, FuncStore store)
    {
        await RequireManagerAsync(grains);
        return Envelopes.Page(await store.ListAsync(scope, pattern, paging.ToRequest()));
    }

    private static async Task<EnvelopeResult<FuncStoreEntry>> SetAsync(string scope, string key, SetFuncStoreEntry body, IGrainFactory grains, FuncStore store)
    {
        await RequireManagerAsync(grains);
        var valueJson = Compact(body.ValueJSON)
            ?? throw DffException.BadRequest("InvalidValueJSON", "'valueJSON' must be JSON text (a string value needs its quotes)", new { field = "valueJSON" });
        await store.SetAsync(scope, key, valueJson, body.Expires, onlyIfMissing: false);
        return Envelopes.Ok(await FindAsync(store, scope, key));
    }

    private static async Task<EnvelopeResult<DeletedFuncStoreEntry>> DeleteAsync(string scope, string key, IGrainFactory grains, FuncStore store)
    {
        await RequireManagerAsync(grains);
        return await store.DeleteAsync(scope, key)
            ? Envelopes.Ok(new DeletedFuncStoreEntry(scope, key))
            : throw DffException.NotFound("NoSuchStoreEntry", $"No such DFF.STORE key: '{key}' in scope '{scope}'", new { scope, key });
    }

    private static async Task<FuncStoreEntry> FindAsync(FuncStore store, string scope, string key) =>
        await store.GetEntryAsync(scope, key)
        ?? throw DffException.NotFound("NoSuchStoreEntry", $"No such DFF.STORE key: '{key}' in scope '{scope}'", new { scope, key });

    private static readonly JsonSerializerOptions AsWritten = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON text without its layout, as scripts write values; null when it is not JSON.</summary>
    private static string? Compact(string? text)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonSerializer.Serialize(document.RootElement, AsWritten);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task RequireManagerAsync(IGrainFactory grains) =>
        grains.GetGrain<IExperimentalFeaturesGrain>(IExperimentalFeaturesGrain.Key).RequireEnabledAsync(IExperimentalFeaturesGrain.FuncStoreManager);
}
