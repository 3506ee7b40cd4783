using OrleansFunc.AuthLinks;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;
using OrleansFunc.WebFront.Api.Calls;

namespace OrleansFunc.WebFront.Api.AuthLinks;

/// <summary>
/// <c>GET|POST /api/v1/al/{id}[/{format}[/*]]</c>: public calls through auth links, compatible with
/// DataFlux Func 1.x callers. The link grain admits the call; the func runs on the sync lane.
/// </summary>
public static class AuthLinkCallsApi
{
    public static IEndpointRouteBuilder MapAuthLinkCallsApi(this IEndpointRouteBuilder app)
    {
        var calls = app.MapGroup("/api/v1/al").WithTags("Auth link calls").WithCallBodyLimit();
        calls.MapMethods("/{id}", [HttpMethods.Get, HttpMethods.Post], CallAsync);
        calls.MapMethods("/{id}/{format}", [HttpMethods.Get, HttpMethods.Post], CallAsync);
        calls.MapMethods("/{id}/{format}/{**rest}", [HttpMethods.Get, HttpMethods.Post], CallAsync);
        return app;
    }

    private static async Task CallAsync(
        string id, string? format, HttpContext http, GrainReferences grains, FuncInvoker invoker, UploadStore uploads,
        CallStatisticsBuffer statistics, OrleansFuncOptions options, ApiAuthentication authentication, CallEntryViews views)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        http.Response.OnStarting(SandboxScriptContent, http.Response);
        var statusCode = StatusCodes.Status500InternalServerError;
        try
        {
            await RunAsync(id, format, http, grains, invoker, uploads, options, authentication, views);
            statusCode = http.Response.StatusCode;
        }
        catch (DffException refused)
        {
            statusCode = refused.Kind.Describe().HttpStatus;
            throw;
        }
        finally
        {
            statistics.Record(id, statusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>
    /// A func's answer is its author's content served at the console's origin: as a sandbox (an
    /// opaque origin, so its scripts reach neither the console's storage nor its cookies) and never
    /// sniffed into another type. Set as the response starts, after any header a func chose.
    /// </summary>
    private static Task SandboxScriptContent(object state)
    {
        var headers = ((HttpResponse)state).Headers;
        headers.ContentSecurityPolicy = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";
        headers.XContentTypeOptions = "nosniff";
        return Task.CompletedTask;
    }

    private static async Task RunAsync(
        string id, string? format, HttpContext http, GrainReferences grains, FuncInvoker invoker, UploadStore uploads, OrleansFuncOptions options,
        ApiAuthentication authentication, CallEntryViews views)
    {
        var (admission, arguments) = await AdmittedCall.AdmitAsync(
            grains.Get<IAuthLinkGrain>(id), http.Request, format, uploads, TaskOrigin.AuthLink, authentication, views);
        var (run, fromCache) = await invoker.CallAsync(admission.FuncId, admission.KwargsJson, arguments.Options.Run, TaskOrigin.AuthLink.Describe().Lane,
            new RunContext(TaskOrigin.AuthLink, id) { HttpRequestJson = HttpRequestContext.Describe(http.Request, arguments.BodyJson) });
        if (fromCache)
        {
            http.Response.Headers["X-Dff-Cache"] = "Cached";
        }
        await FuncResponse.WriteAsync(http, admission.FuncId, run, arguments.Options, options);
    }
}
