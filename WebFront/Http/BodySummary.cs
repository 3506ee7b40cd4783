using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// The request body as an operation record keeps it: JSON (or form fields, never files) with every
/// password, secret or token value masked and long texts cut, at most a few kilobytes.
/// </summary>
public static class BodySummary
{
    public const string Mask = "******";
    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxTextLength = 200;
    private const int MaxSummaryLength = 4000;
    private static readonly string[] SecretWords = ["password", "secret", "token", "cipher"];

    /// <summary>Whether a field of this name holds a secret.</summary>
    public static bool IsSecret(string name) => SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>The summary of a buffered request body, or null when there is none.</summary>
    public static async Task<string?> OfAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
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
        for (int read; length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length))) > 0;)
        {
            length += read;
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
