using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.DataSources;
using OrleansFunc.Errors;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.DataSources;

/// <summary>
/// <c>/api/v1/data-sources</c>: connections scripts use with <c>DFF.SRC</c> (SPEC D1, D3). A change
/// of config is checked on a worker first and refused with the driver's message when it cannot connect.
/// </summary>
public static class DataSourcesApi
{
    /// <param name="SkipTest">Save without the connection check (DataFlux Func's <c>skipTest</c>): for a server that is down now.</param>
    public sealed record CreateDataSource(string? Id, string? Title, string? Description, DataSourceType? Type, JsonElement? ConfigJSON, bool? SkipTest);

    public sealed record UpdateDataSource(string? Title, string? Description, DataSourceType? Type, JsonElement? ConfigJSON, bool? SkipTest);

    public sealed record QueryDataSource(string? Command, string? Database);

    public sealed record DeletedDataSource(string Id);

    public sealed record CheckedDataSource(string Id, bool Ok);

    public sealed record SubscriptionState(string Id, bool Subscribed);

    public static RouteGroupBuilder MapDataSourcesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/data-source-types", ListTypes).WithTags("Data sources");
        var sources = api.MapGroup("/data-sources").WithTags("Data sources");
        sources.MapGet("/", ListAsync);
        sources.MapPost("/", CreateAsync).RecordsOperation(EntityType.DataSource, "create");
        sources.MapGet("/{id}", GetAsync);
        sources.MapPatch("/{id}", UpdateAsync).RecordsOperation(EntityType.DataSource, "modify");
        sources.MapDelete("/{id}", DeleteAsync).RecordsOperation(EntityType.DataSource, "delete");
        sources.MapPost("/{id}/check", CheckAsync);
        sources.MapPost("/{id}/query", QueryAsync);
        sources.MapGet("/{id}/structure", BrowseAsync);
        sources.MapGet("/{id}/subscription", SubscriptionAsync);
        return api;
    }

    private static EnvelopeResult<IReadOnlyList<DataSourceTypeView>> ListTypes() =>
        Envelopes.Ok<IReadOnlyList<DataSourceTypeView>>(DataSourceTypes.All.Select(DataSourceTypeView.Of).ToList());

    private static async Task<EnvelopeResult<IReadOnlyList<DataSourceView>>> ListAsync([AsParameters] Paging paging, IGrainFactory grains) =>
        Envelopes.Page((await grains.DirectoryOf<DataSourceInfo>().ListAsync(paging.ToRequest())).Map(DataSourceView.Of));

    private static async Task<EnvelopeResult<DataSourceView>> CreateAsync(CreateDataSource body, IGrainFactory grains, DataSourceProbe probe)
    {
        DataSourceRules.RequireId(body.Id ?? "");
        var grain = grains.GetGrain<IDataSourceGrain>(body.Id!);
        var fields = new DataSourceFields(body.Title, body.Description, body.Type, ConfigText(body.ConfigJSON));
        var prepared = await grain.PrepareAsync(fields, creating: true);
        if (body.SkipTest != true)
        {
            await probe.CheckAsync(prepared);
        }
        return Envelopes.Ok(DataSourceView.Of(await grain.CreateAsync(fields, prepared.Version)));
    }

    private static async Task<EnvelopeResult<DataSourceView>> GetAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(DataSourceView.Of(await grains.GetGrain<IDataSourceGrain>(id).GetAsync()));

    private static async Task<EnvelopeResult<DataSourceView>> UpdateAsync(
        string id, UpdateDataSource body, IGrainFactory grains, DataSourceProbe probe)
    {
        var grain = grains.GetGrain<IDataSourceGrain>(id);
        var fields = new DataSourceFields(body.Title, body.Description, body.Type, ConfigText(body.ConfigJSON));
        var prepared = await grain.PrepareAsync(fields, creating: false);
        // Only a config change needs a connection check: a new title must not wait for a database.
        if (fields.ConfigJson is not null && body.SkipTest != true)
        {
            await probe.CheckAsync(prepared);
        }
        return Envelopes.Ok(DataSourceView.Of(await grain.UpdateAsync(fields, prepared.Version)));
    }

    private static async Task<EnvelopeResult<DeletedDataSource>> DeleteAsync(string id, IGrainFactory grains)
    {
        await grains.GetGrain<IDataSourceGrain>(id).DeleteAsync();
        return Envelopes.Ok(new DeletedDataSource(id));
    }

    private static async Task<EnvelopeResult<CheckedDataSource>> CheckAsync(string id, IGrainFactory grains, DataSourceProbe probe)
    {
        await probe.CheckAsync(await grains.GetGrain<IDataSourceGrain>(id).GetConnectionAsync());
        return Envelopes.Ok(new CheckedDataSource(id, true));
    }

    private static async Task<EnvelopeResult<JsonElement>> QueryAsync(string id, QueryDataSource body, IGrainFactory grains, DataSourceProbe probe) =>
        Envelopes.Ok(await probe.QueryAsync(await grains.GetGrain<IDataSourceGrain>(id).GetConnectionAsync(), body.Command, body.Database));

    private static async Task<EnvelopeResult<JsonElement>> BrowseAsync(string id, string? database, string? table, IGrainFactory grains, DataSourceProbe probe) =>
        Envelopes.Ok(await probe.BrowseAsync(await grains.GetGrain<IDataSourceGrain>(id).GetConnectionAsync(), database, table));

    private static async Task<EnvelopeResult<SubscriptionState>> SubscriptionAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(new SubscriptionState(id, await grains.GetGrain<IDataSourceGrain>(id).IsSubscribedAsync()));

    /// <summary>The config object as JSON text; anything but an object is 400.43.</summary>
    private static string? ConfigText(JsonElement? config) => config switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Object } c => c.GetRawText(),
        _ => throw DffException.BadRequest("InvalidConfig", "'configJSON' must be a JSON object", new { field = "configJSON" }),
    };
}
