using OrleansFunc.Engine;
using System.Text.Json;
using Microsoft.Net.Http.Headers;
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
            // A link called without a query (most calls) has nothing to read.
            var query = QueryFields.Of(request);
            return query.Count == 0
                ? new(CallArguments.Kwargs((string?)null), CallerOptions.None)
                : FromFields(ExtendedFields.Read(query), origin, bodyJson: null);
        }
        if (request.HasFormContentType)
        {
            var fields = ExtendedFields.Read((await FormFields.ReadAsync(request)).Fields);
            return FromFields(fields, origin, fields.ToJsonString());
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
    /// <c>kwargs</c> and <c>options</c> from a query's or a form's fields: JSON text, or fields of their own
    /// (<c>kwargs[a]=1</c>), as DataFlux Func takes either.
    /// </summary>
    private static CallerArguments FromFields(JsonObject fields, TaskOrigin origin, string? bodyJson) => new(
        fields["kwargs"] is JsonValue kwargs ? CallArguments.Kwargs(kwargs.ToString()) : CallArguments.Kwargs(Element(fields["kwargs"])),
        fields["options"] is JsonValue options ? CallArguments.Options(options.ToString(), origin) : CallArguments.Options(Element(fields["options"]), origin),
        bodyJson);

    private static JsonElement? Element(JsonNode? node) => node is null ? null : JsonSerializer.SerializeToElement(node);

    /// <summary>
    /// The simplified form: every query field (GET) or body field (POST) is a kwarg — strings from
    /// queries and forms; a <c>text/plain</c> body becomes <c>text</c>, any other raw body <c>base64</c>;
    /// uploaded files (multipart) become <c>files</c>.
    /// </summary>
    public static async Task<CallerArguments> ReadSimplifiedAsync(HttpRequest request, UploadStore uploads)
    {
        var kwargs = new JsonObject();
        string? bodyJson = null;
        if (HttpMethods.IsGet(request.Method) || !HasBody(request))
        {
            kwargs = ExtendedFields.Read(QueryFields.Of(request));
        }
        else if (request.HasFormContentType)
        {
            var (fields, files) = await FormFields.ReadAsync(request);
            kwargs = ExtendedFields.Read(fields);
            bodyJson = kwargs.ToJsonString();
            if (files.Count > 0)
            {
                kwargs["files"] = await uploads.SaveAsync(files, request.HttpContext.RequestAborted);
            }
        }
        else if (request.HasJsonContentType())
        {
            // The object is the kwargs as sent.
            bodyJson = CallArguments.RequireUnicode("kwargs", await ReadJsonObjectAsync(request))!.Value.GetRawText();
            return new(bodyJson, CallerOptions.None, bodyJson);
        }
        else
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            // DataFlux Func's text parser takes text/plain alone; its raw parser the rest.
            var isText = MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
                && type.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
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
