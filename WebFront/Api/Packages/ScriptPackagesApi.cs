using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Packages;
using OrleansFunc.Records;
using OrleansFunc.WebFront.Api.Calls;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Packages;

/// <summary><c>/api/v1/script-packages</c>: exporting script sets with what surrounds them, and importing packages (administrators).</summary>
public static class ScriptPackagesApi
{
    public sealed record ExportBody(
        IReadOnlyList<string>? ScriptSetIds, bool? IncludeAuthLinks, bool? IncludeCrontabConfigs, bool? IncludeBatches,
        IReadOnlyList<string>? DataSourceIds, IReadOnlyList<string>? EnvVariableIds, bool? WithPassword, string? Operator, string? Note,
        PackageFileFormat? Format);

    /// <summary>The package file (base64) and, when sealed, its password: shown this once, never stored.</summary>
    public sealed record ExportedPackage(string FileName, string File, string? Password);

    /// <summary>The JSON form of an import: the package as base64 and, when sealed, its password.</summary>
    public sealed record ImportBody(string? File, string? Password);

    public static RouteGroupBuilder MapScriptPackagesApi(this RouteGroupBuilder api)
    {
        var packages = api.MapGroup("/script-packages").WithTags("Script packages").RequireAuthorization(UsersApi.AdminPolicy);
        packages.MapPost("/export", ExportAsync).RecordsOperation(EntityType.ScriptPackage, "export");
        // The body is read by hand (multipart or JSON); Accepts describes it in the OpenAPI document.
        packages.MapPost("/import", PreviewImportAsync).DisableAntiforgery().Accepts<ImportBody>("application/json", "multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(PackageReader.MaxFileBytes * 2L));
        packages.MapPost("/import/{confirmId}/confirm", ConfirmImportAsync).RecordsOperation(EntityType.ScriptPackage, "import");
        packages.MapGet("/import-history", ListImportsAsync);
        return api;
    }

    private static async Task<EnvelopeResult<ExportedPackage>> ExportAsync(ExportBody body, IGrainFactory grains, HttpContext http)
    {
        if (body.ScriptSetIds is not { Count: > 0 } setIds)
        {
            throw DffException.BadRequest("NothingToExport", "'scriptSetIds' must name at least one script set", new { field = "scriptSetIds" });
        }
        var actor = http.User.GetActor();
        var content = await PackageExporter.GatherAsync(grains, new ExportRequest(setIds, body.IncludeAuthLinks ?? false,
            body.IncludeCrontabConfigs ?? false, body.IncludeBatches ?? false, body.EnvVariableIds ?? [], body.DataSourceIds ?? [],
            body.Note ?? ""), actor);
        if (body.Operator is { Length: > 0 } exportedBy)
        {
            content = content with { ExportUser = exportedBy };
        }
        var password = body.WithPassword == true ? PackageSeal.NewPassword() : null;
        byte[] file;
        if (body.Format == PackageFileFormat.DataFluxFunc1)
        {
            file = LegacyFuncPackageWriter.Write(content, password ?? "");
        }
        else
        {
            file = PackageFormat.Write(content);
            if (password is not null)
            {
                file = PackageSeal.Seal(file, password);
            }
        }
        var fileName = $"dataflux-func-{DateTime.UtcNow.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture)}.func-pkg";
        return Envelopes.Ok(new ExportedPackage(fileName, Convert.ToBase64String(file), password));
    }

    /// <summary>Reads the package (multipart <c>file</c> + <c>password</c>, or JSON <c>{file: base64, password}</c>) and answers what it would change.</summary>
    private static async Task<EnvelopeResult<ImportPreview>> PreviewImportAsync(HttpRequest request, IGrainFactory grains)
    {
        var (file, password) = await ReadUploadAsync(request);
        var package = PackageReader.Read(file, password);
        var confirmId = $"{Guid.NewGuid():N}";
        return Envelopes.Ok(await grains.GetGrain<IPackageImportGrain>(confirmId).StageAsync(package));
    }

    private static async Task<EnvelopeResult<ImportRecord>> ConfirmImportAsync(string confirmId, IGrainFactory grains, HttpContext http) =>
        Envelopes.Ok(await grains.GetGrain<IPackageImportGrain>(confirmId).ConfirmAsync(http.User.GetActor()));

    private static async Task<EnvelopeResult<IReadOnlyList<ImportRecord>>> ListImportsAsync([AsParameters] Paging paging, ImportHistoryStore history) =>
        Envelopes.Page(await history.ListAsync(paging.ToRequest()));

    private static async Task<(byte[] File, string? Password)> ReadUploadAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await FormFields.ReadFormAsync(request);
            var upload = form.Files["file"] ?? throw MissingFile();
            using var buffer = new MemoryStream();
            await upload.CopyToAsync(buffer);
            return (buffer.ToArray(), form["password"].FirstOrDefault());
        }
        ImportBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ImportBody>(request.Body, JsonSerializerOptions.Web);
        }
        catch (JsonException bad)
        {
            throw DffException.BadRequest("InvalidJson", $"The body is not valid JSON: {bad.Message}");
        }
        if (body?.File is not { Length: > 0 } base64)
        {
            throw MissingFile();
        }
        try
        {
            return (Convert.FromBase64String(base64), body.Password);
        }
        catch (FormatException)
        {
            throw DffException.BadRequest("InvalidFile", "'file' must be the package encoded as base64", new { field = "file" });
        }
    }

    private static DffException MissingFile() =>
        DffException.BadRequest("MissingFile", "Send the package as multipart field 'file' or as base64 in JSON 'file'", new { field = "file" });
}
