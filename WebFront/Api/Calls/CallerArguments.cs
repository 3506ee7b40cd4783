using OrleansFunc.Engine;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>The kwargs and options of an external call, read from any of DataFlux Func's call forms.</summary>
/// <param name="BodyJson">
/// The body as a script sees it in <c>_DFF_HTTP_REQUEST['body']</c>, as DataFlux Func's body parsers give it: a JSON
/// body as sent, a form's fields (not its files), a text body as a string; null without a body, and for any other raw
/// body, which the simplified form hands the func as <c>base64</c> already (not carried twice, at four times its size).
/// </param>
public sealed record CallerArguments(string KwargsJson, CallerOptions Options, string? BodyJson = null)
{
    /// <summary>The arguments of a call in the form its URL names: standard (none, <c>normal</c>) or simplified (<c>simplified</c>, <c>s</c>).</summary>
    public static async Task<CallerArguments> ReadAsync(HttpRequest request, string? format, UploadStore uploads, TaskOrigin origin) => format switch
    {
        null or "normal" => await ReadStandardAsync(request, origin),
        "simplified" or "s" => await ReadSimplifiedAsync(request, uploads),
        _ => throw DffException.NotFound("NoSuchFormat", $"No such call format: '{format}' (use normal or simplified)", new { format }),
    };

    /// <summary>The standard form: <c>kwargs</c>/<c>options</c> as JSON in the query, a JSON body or form fields.</summary>
    public static async Task<CallerArguments> ReadStandardAsync(HttpRequest request, TaskOrigin origin)
    {
        if (HttpMethods.IsGet(request.Method) || !HasBody(request))
        {
            return new(CallArguments.Kwargs(request.Query["kwargs"].ToString()), CallArguments.Options(request.Query["options"].ToString(), origin));
        }
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return new(CallArguments.Kwargs(form["kwargs"].ToString()), CallArguments.Options(form["options"].ToString(), origin), Fields(form).ToJsonString());
        }
        var body = await ReadJsonObjectAsync(request);
        foreach (var field in body.EnumerateObject())
        {
            if (field.Name is not ("kwargs" or "options"))
            {
                throw DffException.BadRequest("InvalidBody", $"Unknown field '{field.Name}': the body holds 'kwargs' and 'options'");
            }
        }
        return new(
            CallArguments.Kwargs(body.TryGetProperty("kwargs", out var kwargs) ? kwargs : null),
            CallArguments.Options(body.TryGetProperty("options", out var options) ? options : null, origin),
            body.GetRawText());
    }

    /// <summary>
    /// The simplified form: every query field (GET) or body field (POST) is a kwarg — strings from
    /// queries and forms; a <c>text/*</c> body becomes <c>text</c>, any other raw body <c>base64</c>;
    /// uploaded files (multipart) become <c>files</c>.
    /// </summary>
    public static async Task<CallerArguments> ReadSimplifiedAsync(HttpRequest request, UploadStore uploads)
    {
        var kwargs = new JsonObject();
        string? bodyJson = null;
        if (HttpMethods.IsGet(request.Method) || !HasBody(request))
        {
            foreach (var (name, value) in request.Query)
            {
                kwargs[name] = value.ToString();
            }
        }
        else if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            kwargs = Fields(form);
            bodyJson = kwargs.ToJsonString();
            if (form.Files.Count > 0)
            {
                kwargs["files"] = await uploads.SaveAsync(form.Files, request.HttpContext.RequestAborted);
            }
        }
        else if (request.HasJsonContentType())
        {
            bodyJson = (await ReadJsonObjectAsync(request)).GetRawText();
            kwargs = JsonNode.Parse(bodyJson)!.AsObject();
        }
        else
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var isText = request.ContentType?.StartsWith("text/", StringComparison.OrdinalIgnoreCase) == true;
            kwargs[isText ? "text" : "base64"] = isText
                ? System.Text.Encoding.UTF8.GetString(buffer.ToArray())
                : Convert.ToBase64String(buffer.ToArray());
            bodyJson = isText ? kwargs["text"]!.ToJsonString() : null;
        }
        return new(kwargs.ToJsonString(), CallerOptions.None, bodyJson);
    }

    /// <summary>
    /// A body that is not JSON (a form with files, a raw body) is stored or buffered whole before the
    /// call is admitted: such calls are checked against their link or batch before it is read.
    /// </summary>
    public static bool MayCarryFiles(HttpRequest request) => HasBody(request) && !request.HasJsonContentType();

    /// <summary>A form's fields, each a string (the kwargs of the simplified form).</summary>
    private static JsonObject Fields(IFormCollection form)
    {
        var fields = new JsonObject();
        foreach (var (name, value) in form)
        {
            fields[name] = value.ToString();
        }
        return fields;
    }

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    private static async Task<JsonElement> ReadJsonObjectAsync(HttpRequest request)
    {
        if (!request.HasJsonContentType())
        {
            throw DffException.BadRequest("InvalidBody", "The body must be JSON, a form, or use the simplified form (/simplified)");
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw DffException.BadRequest("InvalidBody", "The JSON body must be an object");
        }
        catch (JsonException json)
        {
            throw DffException.BadRequest("InvalidBody", Http.JsonErrors.Describe(json));
        }
    }
}
