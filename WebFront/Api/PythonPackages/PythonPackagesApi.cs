using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.PythonPackages;
using OrleansFunc.WebFront.Api.Calls;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.PythonPackages;

/// <summary>
/// <c>/api/v1/python-packages</c>: the Python packages installed for scripts. Every signed-in user sees what is installed
/// (script writers import it); administrators install from the index or an uploaded wheel, uninstall, and set the
/// index. An install answers at once with its operation, whose output the console reads as pip writes it.
/// </summary>
public static class PythonPackagesApi
{
    /// <summary>The largest wheel an upload may carry.</summary>
    public const long MaxWheelBytes = 128L * 1024 * 1024;

    public sealed record InstallBody(string? Requirement);

    public sealed record UninstallBody(string? Name);

    public sealed record IndexUrlBody(string? IndexUrl);

    public static RouteGroupBuilder MapPythonPackagesApi(this RouteGroupBuilder api)
    {
        var packages = api.MapGroup("/python-packages").WithTags("Python packages");
        packages.MapGet("/", GetAsync);
        packages.MapGet("/operations/{id}", OutputAsync);
        var admins = packages.MapGroup("").RequireAuthorization(UsersApi.AdminPolicy);
        admins.MapPost("/install", InstallAsync).RecordsOperation(EntityType.PythonPackage, "install");
        // Not buffered for the record: the route records the wheel's name itself.
        admins.MapPost("/install-wheel", InstallWheelAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxWheelBytes));
        admins.MapPost("/uninstall", UninstallAsync).RecordsOperation(EntityType.PythonPackage, "uninstall");
        // Recorded by the route, with a password in the URL masked.
        admins.MapPut("/index-url", SetIndexUrlAsync);
        return api;
    }

    private static IPythonPackagesGrain Packages(IGrainFactory grains) => grains.GetGrain<IPythonPackagesGrain>(IPythonPackagesGrain.Key);

    private static async Task<EnvelopeResult<PythonPackagesView>> GetAsync(IGrainFactory grains) => Envelopes.Ok(await Packages(grains).GetAsync());

    private static async Task<EnvelopeResult<PackageOperationOutput>> OutputAsync(string id, int? offset, IGrainFactory grains) =>
        Envelopes.Ok(await Packages(grains).GetOutputAsync(id, Math.Max(0, offset ?? 0)));

    private static async Task<EnvelopeResult<PackageOperationSummary>> InstallAsync(InstallBody body, IGrainFactory grains, HttpContext http)
    {
        PackageRequirements.NameOf(body.Requirement);
        return Envelopes.Ok(await Packages(grains).InstallAsync(body.Requirement!, http.User.GetActor()));
    }

    private static async Task<EnvelopeResult<PackageOperationSummary>> UninstallAsync(UninstallBody body, IGrainFactory grains, HttpContext http)
    {
        PackageRequirements.NameOf(body.Name, "name");
        return Envelopes.Ok(await Packages(grains).UninstallAsync(body.Name!, http.User.GetActor()));
    }

    /// <summary>Stores the wheel (the one file of a multipart request) in PostgreSQL for the silo that installs it.</summary>
    private static async Task<EnvelopeResult<PackageOperationSummary>> InstallWheelAsync(
        HttpRequest request, IGrainFactory grains, PythonPackageStore store)
    {
        if (!request.HasFormContentType)
        {
            throw DffException.BadRequest("NotMultipart", "Send the wheel as multipart/form-data");
        }
        var form = await FormFields.ReadFormAsync(request);
        if (form.Files is not [var file])
        {
            throw DffException.BadRequest("NoFile", "Send exactly one wheel file", new { field = "file" });
        }
        var fileName = Path.GetFileName(file.FileName);
        PackageRequirements.WheelOf(fileName);
        long uploadId;
        await using (var content = file.OpenReadStream())
        {
            uploadId = await store.SaveUploadAsync(fileName, content, request.HttpContext.RequestAborted);
        }
        var operation = await Packages(grains).InstallWheelAsync(uploadId, fileName, request.HttpContext.User.GetActor());
        await OperationRecording.RecordAsync(request.HttpContext, request.HttpContext.User, EntityType.PythonPackage, "installWheel",
            operation.Id, JsonSerializer.Serialize(new { file = fileName, size = file.Length }));
        return Envelopes.Ok(operation);
    }

    private static async Task<EnvelopeResult<PythonPackagesView>> SetIndexUrlAsync(IndexUrlBody body, IGrainFactory grains, HttpContext http)
    {
        var view = await Packages(grains).SetIndexUrlAsync(body.IndexUrl ?? "");
        await OperationRecording.RecordAsync(http, http.User, EntityType.PythonPackage, "setIndexUrl", null,
            JsonSerializer.Serialize(new { indexUrl = view.IndexUrl }));
        return Envelopes.Ok(view);
    }
}
