using System.Text;
using System.Text.Json;
using OrleansFunc.Engine;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;
using OrleansFunc.WebFront.Api.Funcs;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// Writes a func's result as the HTTP response of an auth-link call, as DataFlux Func does:
/// dict/list → JSON, str and numbers → text/html, True → JSON, other falsy values → an empty 200;
/// <c>DFF.RESP</c> sets status, content type, headers and download. Failures are 599.x envelopes.
/// </summary>
public static class FuncResponse
{
    private static readonly Dictionary<string, string> ShortContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["json"] = "application/json",
        ["html"] = "text/html; charset=utf-8",
        ["text"] = "text/plain; charset=utf-8",
        ["txt"] = "text/plain; charset=utf-8",
        ["xml"] = "application/xml",
        ["csv"] = "text/csv; charset=utf-8",
        ["js"] = "application/javascript",
        ["css"] = "text/css",
    };

    private static readonly Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider ContentTypes = new();

    /// <param name="settings">Its resource folder is read only for a file answer (the path is made at each read).</param>
    public static async Task WriteAsync(HttpContext http, string funcId, FuncRunResult run, CallerOptions options, OrleansFuncOptions settings)
    {
        if (!run.IsSuccess)
        {
            throw FuncInvoker.ToCallError(funcId, run);
        }
        using var control = run.ResponseControlJson is null ? null : JsonDocument.Parse(run.ResponseControlJson);
        var response = http.Response;
        // unbox: false (1.x unfold) asks for the envelope; DFF.RESP still answers raw, as in DataFlux Func.
        if (control is null && !options.Unbox)
        {
            await Envelopes.Ok(new FuncsApi.FuncCallResult(FuncResult.Value(run, options))).ExecuteAsync(http);
            return;
        }

        var allow304 = control is not null && control.RootElement.GetProperty("allow304").GetBoolean();
        if (!allow304)
        {
            response.Headers.LastModified = DateTimeOffset.UtcNow.ToString("R");
        }
        if (control is null)
        {
            await WriteDefaultAsync(response, run, options);
            return;
        }
        var value = FuncResult.Value(run, options);

        var c = control.RootElement;
        if (c.GetProperty("statusCode") is { ValueKind: JsonValueKind.Number } status)
        {
            response.StatusCode = status.GetInt32();
        }
        foreach (var header in c.GetProperty("headers").EnumerateObject())
        {
            if (!SetsConsoleSession(header.Name, header.Value.GetString()))
            {
                response.Headers[header.Name] = header.Value.GetString();
            }
        }
        var download = c.GetProperty("download");
        if (download.ValueKind == JsonValueKind.String || download.ValueKind == JsonValueKind.True)
        {
            var fileName = download.ValueKind == JsonValueKind.String ? download.GetString()! : "download";
            response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = fileName, DispositionType = "attachment" }.ToString();
        }
        var contentType = c.GetProperty("contentType").GetString();
        if (c.TryGetProperty("filePath", out var filePath))
        {
            await WriteFileAsync(response, filePath.GetString()!, contentType, c.GetProperty("autoDelete").GetBoolean(), settings.ResourceFolder);
            return;
        }
        var isText = value.ValueKind == JsonValueKind.String;
        response.ContentType = contentType is null
            ? isText ? "text/html; charset=utf-8" : "application/json"
            : ShortContentTypes.GetValueOrDefault(contentType, contentType);
        await response.WriteAsync(isText ? value.GetString()! : value.GetRawText(), Encoding.UTF8);
    }

    /// <summary>
    /// DFF.RESP_FILE and DFF.RESP_LARGE_DATA: a regular file of the resource folder, and never one
    /// outside it, whatever path the worker sent (see <see cref="ResourceFile"/>).
    /// </summary>
    private static async Task WriteFileAsync(HttpResponse response, string path, string? contentType, bool autoDelete, string resourceFolder)
    {
        using var file = ResourceFile.TryOpen(resourceFolder, path) ?? throw new OrleansFunc.Errors.DffException(
            OrleansFunc.Errors.ErrorKind.FuncFailed, "ResponseFileUnavailable",
            "The func's response file is missing, not a plain file, or outside the resource folder");
        response.ContentType = contentType is not null
            ? ShortContentTypes.GetValueOrDefault(contentType, contentType)
            : ContentTypes.TryGetContentType(path, out var byExtension) ? byExtension : "application/octet-stream";
        response.ContentLength = file.Length;
        if (autoDelete)
        {
            // Unlinked before sending (the open handle still reads it): a caller who has the whole
            // answer finds the file gone, and a failed send leaves nothing behind either.
            file.Delete();
        }
        await using var content = new FileStream(file.Handle, FileAccess.Read, bufferSize: 0);
        await content.CopyToAsync(response.Body, response.HttpContext.RequestAborted);
    }

    /// <summary>
    /// A func's answer shares the console's origin: it may set cookies of its own, never the console's
    /// session (which would sign a visitor's console into the func author's account).
    /// </summary>
    private static bool SetsConsoleSession(string header, string? value) =>
        header.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase) &&
        value?.Split('=', 2)[0].Trim() == OrleansFunc.WebFront.Auth.SessionCookie.Name;

    private static async Task WriteDefaultAsync(HttpResponse response, FuncRunResult run, CallerOptions options)
    {
        // A dict or a list (most results) goes out as the worker wrote it (checked JSON): not parsed and copied again.
        if (!options.JsonDumps && run.ResultJson is ['{' or '[', ..] objectOrArray)
        {
            await WriteJsonAsync(response, objectOrArray);
            return;
        }
        var value = FuncResult.Value(run, options);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.True:
                await WriteJsonAsync(response, value.GetRawText());
                break;
            case JsonValueKind.String when value.GetString()!.Length > 0:
                response.ContentType = "text/html; charset=utf-8";
                await response.WriteAsync(value.GetString()!, Encoding.UTF8);
                break;
            case JsonValueKind.Number when value.GetDouble() != 0:
                response.ContentType = "text/html; charset=utf-8";
                await response.WriteAsync(value.GetRawText(), Encoding.UTF8);
                break;
            default:
                // None, False, 0 and "" give an empty 200, as in DataFlux Func.
                response.StatusCode = StatusCodes.Status200OK;
                break;
        }
    }

    private static Task WriteJsonAsync(HttpResponse response, string json)
    {
        response.ContentType = "application/json";
        return response.WriteAsync(json, Encoding.UTF8);
    }
}
