using OrleansFunc.AuthLinks;
using OrleansFunc.Common;
using OrleansFunc.Crontabs;
using OrleansFunc.EnvVars;
using OrleansFunc.Errors;
using OrleansFunc.Scripts;
using OrleansFunc.ScriptSets;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Samples;

/// <summary>
/// <c>POST /api/v1/samples</c> (administrators): adds the sample script set of <see cref="SampleLibrary"/>, published,
/// with its env variable, auth link and crontab config. Refused (409.42) while a sample set is there, so a second click
/// never overwrites what someone changed in it.
/// </summary>
public static class SamplesApi
{
    public sealed record AddedSamples(string ScriptSetId, IReadOnlyList<string> ScriptIds, string AuthLinkId, string CrontabConfigId, string EnvVariableId);

    public static RouteGroupBuilder MapSamplesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/samples", AddAsync).WithTags("Script sets").RequireAuthorization(UsersApi.AdminPolicy)
            .RecordsOperation(EntityType.ScriptSet, "addSamples");
        return api;
    }

    private static async Task<EnvelopeResult<AddedSamples>> AddAsync(IGrainFactory grains, ScriptExecution execution, HttpContext http)
    {
        var actor = http.User.GetActor();
        await grains.GetGrain<IScriptSetGrain>(SampleLibrary.SetId).CreateAsync(new TitleAndDescription(SampleLibrary.SetTitle, SampleLibrary.SetDescription));
        foreach (var script in SampleLibrary.Scripts)
        {
            await grains.GetGrain<IScriptGrain>(script.Id).CreateAsync(new NewScript(script.Title, null, script.Code));
            await execution.PublishAsync(script.Id, "Sample", actor);
        }
        var variable = grains.GetGrain<IEnvVarGrain>(SampleLibrary.EnvVariableId);
        if (await variable.FindAsync() is null)
        {
            await variable.CreateAsync(new EnvVarFields("Sample greeting", "Read by samples__features.greet", "Hello", AutoTypeCasting.String));
        }
        await CreateUnlessThereAsync(() => grains.GetGrain<IAuthLinkGrain>(SampleLibrary.AuthLinkId).CreateAsync(new AuthLinkFields(
            SampleLibrary.GreetFuncId, """{"name": "INPUT_BY_CALLER"}""", null, null, false, true, false, "Sample: call it with ?name=you")));
        await CreateUnlessThereAsync(() => grains.GetGrain<ICrontabGrain>(SampleLibrary.CrontabConfigId).CreateAsync(new CrontabConfigFields(
            SampleLibrary.HelloFuncId, "{}", "0 * * * *", null, null, false, false, null, "Sample: hello world every hour")));
        return Envelopes.Ok(new AddedSamples(SampleLibrary.SetId, [.. SampleLibrary.Scripts.Select(s => s.Id)], SampleLibrary.AuthLinkId,
            SampleLibrary.CrontabConfigId, SampleLibrary.EnvVariableId));
    }

    /// <summary>A link or config kept from an earlier sample set (its set deleted since) is left as it is.</summary>
    private static async Task CreateUnlessThereAsync(Func<Task> create)
    {
        try
        {
            await create();
        }
        catch (DffException exists) when (exists.Kind == ErrorKind.Duplicated)
        {
        }
    }
}
