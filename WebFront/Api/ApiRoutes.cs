using OrleansFunc.WebFront.Api.Auth;
using OrleansFunc.WebFront.Api.ApiAuths;
using OrleansFunc.WebFront.Api.PythonPackages;
using OrleansFunc.WebFront.Api.Resources;
using OrleansFunc.WebFront.Api.Samples;
using OrleansFunc.WebFront.Api.AuthLinks;
using OrleansFunc.WebFront.Api.Batches;
using OrleansFunc.WebFront.Api.Crontabs;
using OrleansFunc.WebFront.Api.DataSources;
using OrleansFunc.WebFront.Api.EnvVars;
using OrleansFunc.WebFront.Api.Funcs;
using OrleansFunc.WebFront.Api.Library;
using OrleansFunc.WebFront.Api.Packages;
using OrleansFunc.WebFront.Api.Platform;
using OrleansFunc.WebFront.Api.Records;
using OrleansFunc.WebFront.Api.Scripts;
using OrleansFunc.WebFront.Api.ScriptSets;
using OrleansFunc.WebFront.Api.Tasks;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api;

/// <summary>
/// The composition root of the HTTP API: public routes first, then every admin group under one
/// signed-in parent that applies authorization once.
/// </summary>
public static class ApiRoutes
{
    public static WebApplication MapOrleansFuncApi(this WebApplication app)
    {
        app.MapHealthApi();

        app.MapAuthLinkCallsApi();
        app.MapAuthLinkDocsApi();
        app.MapBatchCallsApi();
        app.MapFuncResultApi();

        var api = app.MapGroup("/api/v1").WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(RouteIdLimits.MaxJsonBodyBytes));
        api.MapPublicAuthApi();

        var signedIn = api.MapGroup("").RequireAuthorization();
        signedIn.MapAccountApi();
        signedIn.MapScriptSetsApi();
        signedIn.MapScriptsApi();
        signedIn.MapEnvVarsApi();
        signedIn.MapDataSourcesApi();
        signedIn.MapFuncsApi();
        signedIn.MapAuthLinksApi();
        signedIn.MapBatchesApi();
        signedIn.MapApiAuthsApi();
        signedIn.MapResourcesApi();
        signedIn.MapPythonPackagesApi();
        signedIn.MapCrontabConfigsApi();
        signedIn.MapCrontabPauseApi();
        signedIn.MapRestorePointsApi();
        signedIn.MapSamplesApi();
        signedIn.MapScriptPackagesApi();
        signedIn.MapTaskRecordsApi();
        signedIn.MapUsersApi();
        signedIn.MapAccessKeysApi();
        signedIn.MapOperationRecordsApi();
        signedIn.MapRequestLogApi();
        signedIn.MapAboutApi();
        signedIn.MapOverviewApi();
        signedIn.MapCachesApi();
        signedIn.MapFuncStoresApi();
        signedIn.MapExperimentalFeaturesApi();
        signedIn.MapInstallationSettingsApi();

        return app;
    }
}
