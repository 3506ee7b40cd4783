using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansFunc.Errors;

namespace OrleansFunc.DataSources;

/// <summary>A validated config: the plain fields (defaults filled, in table order) and the secrets.</summary>
public sealed record NormalizedConfig(JsonObject Plain, IReadOnlyDictionary<string, string> Secrets)
{
    /// <summary>The config a worker connects with: plain fields and secrets together.</summary>
    public string FullJson()
    {
        var full = (JsonObject)Plain.DeepClone();
        foreach (var (name, value) in Secrets.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            full[name] = value;
        }
        return full.ToJsonString();
    }

    /// <summary>Changes with any value: pools keyed on it never reuse a connection of an older config.</summary>
    public string Version(DataSourceType type) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{type}\n{FullJson()}")))[..16];
}

/// <summary>Checks and completes a data source config against its type's fields (<see cref="DataSourceTypes"/>).</summary>
public static partial class DataSourceRules
{
    public const int MaxIdLength = 64;
    public const int MaxTextLength = 1024;
    public const int MaxTopicHandlers = 100;
    private const string ReservedIdPrefix = "dataflux_";

    [GeneratedRegex(@"^[A-Za-z0-9_.\-\[\]:]+:\d{1,5}$")]
    private static partial Regex ServerPattern();

    [GeneratedRegex(@"^[a-zA-Z_][a-zA-Z0-9_]*__[a-zA-Z_][a-zA-Z0-9_]*\.[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex FuncIdPattern();

    public static void RequireId(string id)
    {
        Common.FieldRules.RequireIdentifier("id", id, MaxIdLength);
        if (id.StartsWith(ReservedIdPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw DffException.BadRequest("InvalidId", $"Data source IDs may not start with '{ReservedIdPrefix}'", new { field = "id" });
        }
    }

    /// <summary>
    /// Validates <paramref name="configJson"/> for <paramref name="type"/>: unknown fields, wrong kinds
    /// and missing required fields are 400.43. A secret that is absent or null keeps its value from
    /// <paramref name="keptSecrets"/>; an empty string clears it. With <paramref name="secretsPending"/>, a required secret may be missing.
    /// </summary>
    public static NormalizedConfig Normalize(
        DataSourceType type, string configJson, IReadOnlyDictionary<string, string> keptSecrets, bool secretsPending = false)
    {
        var given = ParseObject(configJson);
        var fields = type.Describe().Fields;
        foreach (var (name, _) in given)
        {
            if (fields.All(f => f.Name != name))
            {
                throw Bad("UnknownConfigField", $"A {type.Describe().Title} data source has no config field '{name}'; its fields are: " +
                    string.Join(", ", fields.Select(f => f.Name)), name);
            }
        }
        var plain = new JsonObject();
        var secrets = new Dictionary<string, string>();
        foreach (var field in fields)
        {
            var value = given[field.Name];
            if (field.Kind == ConfigFieldKind.Secret)
            {
                var secret = value is null ? keptSecrets.GetValueOrDefault(field.Name) : RequireText(field, value);
                if (!string.IsNullOrEmpty(secret))
                {
                    secrets[field.Name] = secret;
                }
                else if (field.Required && !secretsPending)
                {
                    throw Bad("MissingConfigField", $"Config field '{field.Name}' is required", field.Name);
                }
                continue;
            }
            var normalized = value is null ? null : NormalizeValue(field, value);
            if (normalized is null && field.Required)
            {
                throw Bad("MissingConfigField", $"Config field '{field.Name}' is required", field.Name);
            }
            plain[field.Name] = normalized ?? (field.Default is null ? null : JsonValue.Create(field.Default));
        }
        if (type == DataSourceType.Nsq && plain["host"] is null && plain["servers"] is null)
        {
            throw Bad("MissingConfigField", "An NSQ data source needs 'host' (nsqlookupd) or 'servers' (nsqd list)", "host");
        }
        return new NormalizedConfig(plain, secrets);
    }

    /// <summary>
    /// The stored secrets an update with <paramref name="configJson"/> may keep. While no destination field
    /// (<see cref="ConfigField.Destination"/>) changes, all of them; when one does, a stored secret that is
    /// not typed again in the same change would travel to a place it was not typed for: the change is
    /// refused (400.43 <c>SecretNotTypedAgain</c>, naming the fields) before anything connects, or, with
    /// <paramref name="dropInstead"/> (a package import, which cannot carry secrets), none is kept.
    /// </summary>
    public static IReadOnlyDictionary<string, string> KeepableSecrets(
        DataSourceType type, JsonObject storedPlain, IReadOnlyDictionary<string, string> stored, string configJson, bool dropInstead)
    {
        var given = ParseObject(configJson);
        var untyped = stored.Keys.Where(name => given[name] is null).Order(StringComparer.Ordinal).ToList();
        if (untyped.Count == 0)
        {
            return stored;
        }
        var moved = MovedDestinationFields(type, storedPlain, Normalize(type, configJson, stored, secretsPending: true).Plain);
        if (moved.Count == 0)
        {
            return stored;
        }
        if (dropInstead)
        {
            return new Dictionary<string, string>();
        }
        throw DffException.BadRequest("SecretNotTypedAgain",
            $"Changing {string.Join(", ", moved)} changes where the stored {string.Join(", ", untyped)} would be sent; " +
            $"type the {string.Join(", ", untyped)} again in the same change (nothing was changed)",
            new { fields = moved.Select(f => $"configJSON.{f}"), secrets = untyped.Select(f => $"configJSON.{f}") });
    }

    /// <summary>The destination fields whose value differs between two normalized configs, in table order.</summary>
    public static IReadOnlyList<string> MovedDestinationFields(DataSourceType type, JsonObject before, JsonObject after) =>
        type.Describe().Fields.Where(f => f.Destination && !JsonNode.DeepEquals(before[f.Name], after[f.Name])).Select(f => f.Name).ToList();

    /// <summary>The func IDs a config's topic handlers name (to check that they exist).</summary>
    public static IEnumerable<string> HandlerFuncIds(NormalizedConfig config) =>
        config.Plain["topicHandlers"] is JsonArray handlers ? handlers.Select(h => (string)h!["funcId"]!) : [];

    private static JsonObject ParseObject(string configJson)
    {
        try
        {
            return JsonNode.Parse(configJson) as JsonObject
                ?? throw Bad("InvalidConfig", "'configJSON' must be a JSON object", "configJSON");
        }
        catch (JsonException e)
        {
            throw Bad("InvalidConfig", $"'configJSON' is not valid JSON: {e.Message}", "configJSON");
        }
    }

    private static JsonNode? NormalizeValue(ConfigField field, JsonNode value) => field.Kind switch
    {
        ConfigFieldKind.Text => RequireText(field, value) is { Length: > 0 } text ? JsonValue.Create(text.Trim()) : null,
        ConfigFieldKind.Port => JsonValue.Create(RequireNumber(field, value, 1, 65535)),
        ConfigFieldKind.Count => JsonValue.Create(RequireNumber(field, value, 0, 1_000_000)),
        ConfigFieldKind.Boolean => value is JsonValue b && b.TryGetValue<bool>(out var flag)
            ? JsonValue.Create(flag)
            : throw Bad("InvalidConfigField", $"Config field '{field.Name}' must be true or false", field.Name),
        ConfigFieldKind.Choice => RequireText(field, value) is var choice && field.Choices!.Contains(choice)
            ? JsonValue.Create(choice)
            : throw Bad("InvalidConfigField", $"Config field '{field.Name}' must be one of: {string.Join(", ", field.Choices!)}", field.Name),
        ConfigFieldKind.ServerList => NormalizeServers(field, RequireText(field, value)),
        ConfigFieldKind.TopicHandlers => NormalizeTopicHandlers(field, value),
        _ => throw new InvalidOperationException($"No rule for {field.Kind}"),
    };

    private static string RequireText(ConfigField field, JsonNode value)
    {
        if (value is not JsonValue text || !text.TryGetValue<string>(out var s))
        {
            throw Bad("InvalidConfigField", $"Config field '{field.Name}' must be a string", field.Name);
        }
        Common.FieldRules.RequireMaxLength($"configJSON.{field.Name}", s, MaxTextLength);
        return s;
    }

    private static int RequireNumber(ConfigField field, JsonNode value, int min, int max)
    {
        var number = value is JsonValue v && (v.TryGetValue<int>(out var n) || (v.TryGetValue<string>(out var s) && int.TryParse(s, out n)))
            ? n
            : (int?)null;
        return number is { } found && found >= min && found <= max
            ? found
            : throw Bad("InvalidConfigField", $"Config field '{field.Name}' must be a whole number from {min} to {max}", field.Name);
    }

    private static JsonNode? NormalizeServers(ConfigField field, string text)
    {
        var servers = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (servers.Length == 0)
        {
            return null;
        }
        foreach (var server in servers)
        {
            if (!ServerPattern().IsMatch(server) || int.Parse(server[(server.LastIndexOf(':') + 1)..]) is < 1 or > 65535)
            {
                throw Bad("InvalidConfigField", $"Config field '{field.Name}' must list servers as host:port,host:port; '{server}' is not one", field.Name);
            }
        }
        return JsonValue.Create(string.Join(",", servers));
    }

    private static JsonNode NormalizeTopicHandlers(ConfigField field, JsonNode value)
    {
        if (value is not JsonArray items || items.Count > MaxTopicHandlers)
        {
            throw Bad("InvalidConfigField", $"Config field '{field.Name}' must be a list of at most {MaxTopicHandlers} {{topic, funcId}} objects", field.Name);
        }
        var handlers = new JsonArray();
        foreach (var item in items)
        {
            if (item is not JsonObject handler || handler.Any(p => p.Key is not ("topic" or "funcId" or "isDisabled")))
            {
                throw Bad("InvalidConfigField", $"Each of '{field.Name}' must be an object with topic, funcId and optional isDisabled", field.Name);
            }
            var topic = handler["topic"] is JsonValue t && t.TryGetValue<string>(out var ts) ? ts.Trim() : "";
            var funcId = handler["funcId"] is JsonValue f && f.TryGetValue<string>(out var fs) ? fs.Trim() : "";
            var disabled = handler["isDisabled"] switch
            {
                null => false,
                JsonValue d when d.TryGetValue<bool>(out var flag) => flag,
                _ => throw Bad("InvalidConfigField", $"'isDisabled' of a topic handler must be true or false", field.Name),
            };
            if (topic.Length is 0 or > MaxTextLength)
            {
                throw Bad("InvalidConfigField", $"Each of '{field.Name}' needs a topic (1-{MaxTextLength} characters)", field.Name);
            }
            if (!FuncIdPattern().IsMatch(funcId))
            {
                throw Bad("InvalidConfigField", $"The handler of topic '{topic}' needs a func ID like 'set__script.func', not '{funcId}'", field.Name);
            }
            handlers.Add(new JsonObject { ["topic"] = topic, ["funcId"] = funcId, ["isDisabled"] = disabled });
        }
        return handlers;
    }

    private static DffException Bad(string reason, string message, string field) =>
        DffException.BadRequest(reason, message, new { field = field == "configJSON" ? field : $"configJSON.{field}" });
}
