using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFunc.DataSources;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// The request body as an operation record keeps it: JSON (or form fields, never files) with every
/// secret value masked at any depth (fields named like a password, secret, token, key or cipher, the
/// secret fields of data source types, and env variable values) and long texts cut, at most a few kilobytes.
/// </summary>
public static class BodySummary
{
    public const string Mask = "******";
    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxTextLength = 200;
    private const int MaxSummaryLength = 4000;
    private static readonly string[] SecretWords = ["password", "passwd", "secret", "token", "key", "cipher", "credential"];

    /// <summary>
    /// Fields that hold a secret whatever their name: every secret field of a data source type,
    /// <c>valueTEXT</c>, the value of an env variable, which scripts read as their API keys and passwords, and
    /// <c>value</c>, the value of an API auth's fixed field (and of a DFF.STORE entry).
    /// </summary>
    private static readonly HashSet<string> SecretFields = DataSourceTypes.All.SelectMany(type => type.Fields)
        .Where(field => field.Kind == ConfigFieldKind.Secret).Select(field => field.Name)
        .Append("valueTEXT").Append("value").ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a field of this name holds a secret.</summary>
    public static bool IsSecret(string name) =>
        SecretFields.Contains(name) || SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>The summary of a buffered request body, or null when there is none.</summary>
    public static async Task<string?> OfAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync();
            }
            catch (Exception unreadable) when (unreadable is InvalidDataException or IOException or BadHttpRequestException)
            {
                return "(a form that could not be read)"; // the change was refused for it
            }
            var fields = new JsonObject();
            foreach (var (name, value) in form)
            {
                fields[name] = value.ToString();
            }
            foreach (var file in form.Files)
            {
                fields[file.Name] = $"(file {file.FileName}, {file.Length} bytes)";
            }
            return Cut(Masked(fields)?.ToJsonString());
        }
        if (!request.Body.CanSeek)
        {
            return null;
        }
        // The length header may be missing (chunked bodies): read at most one byte more than is kept.
        request.Body.Position = 0;
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        try
        {
            for (int read; length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length))) > 0;)
            {
                length += read;
            }
        }
        catch (IOException unreadable) when (unreadable is BadHttpRequestException)
        {
            return "(a body that could not be read)"; // past the route's limit: the change was refused for it
        }
        if (length == 0)
        {
            return null;
        }
        if (length > MaxBodyBytes)
        {
            return $"(more than {MaxBodyBytes} bytes, not kept)";
        }
        var text = Encoding.UTF8.GetString(buffer, 0, length);
        try
        {
            return Cut(Masked(JsonNode.Parse(text))?.ToJsonString());
        }
        catch (JsonException)
        {
            return $"({text.Length} characters, not JSON)";
        }
        catch (InvalidOperationException)
        {
            // A string with a lone surrogate escape ("\ud800") parses but cannot be read as text.
            return $"({text.Length} characters, JSON with text that is not Unicode)";
        }
    }

    private static JsonNode? Masked(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, IsSecret(p.Key) && p.Value is not null
            ? JsonValue.Create(Mask)
            : Masked(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Masked).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) && text.Length > MaxTextLength =>
            JsonValue.Create($"{text[..MaxTextLength]}…({text.Length} characters)"),
        _ => node?.DeepClone(),
    };

    private static string? Cut(string? summary) =>
        summary is { Length: > MaxSummaryLength } ? summary[..MaxSummaryLength] + "…" : summary;
}
