using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFunc.AuthLinks;
using OrleansFunc.Batches;
using OrleansFunc.Crontabs;
using OrleansFunc.DataSources;
using OrleansFunc.EnvVars;
using OrleansFunc.Errors;
using OrleansFunc.Library;

namespace OrleansFunc.Packages;

/// <summary>
/// Reads the <c>.func-pkg</c> files of DataFlux Func 1.x (reference section 6.5): the base64 text of
/// an AES-256-CBC ciphertext (key: the password padded with spaces to 32 bytes, zero IV, space
/// padding) whose plain text is the base64 of a zip holding <c>dataflux-func.json</c>.
/// </summary>
public static class LegacyFuncPackage
{
    private const string PayloadFile = "dataflux-func.json";

    /// <summary>Whether the file is base64 text of whole AES blocks.</summary>
    public static bool LooksLike(byte[] file) => Ciphertext(file) is not null;

    public static PackageContent Read(byte[] file, string? password)
    {
        var ciphertext = Ciphertext(file) ?? throw DffException.BadRequest("NotAPackage", "This file is not a script package");
        var key = Encoding.UTF8.GetBytes((password ?? "").PadRight(32))[..32];
        using var aes = Aes.Create();
        aes.Key = key;
        var plain = aes.DecryptCbc(ciphertext, new byte[16], PaddingMode.None);
        byte[] zipBytes;
        try
        {
            zipBytes = Convert.FromBase64String(Encoding.ASCII.GetString(plain).TrimEnd(' ', '\0'));
        }
        catch (FormatException)
        {
            throw DffException.Condition("InvalidPassword", "Wrong password for this DataFlux Func package, or the file was changed");
        }
        try
        {
            using var zip = PackageLimits.OpenZip(zipBytes);
            var entry = zip.GetEntry(PayloadFile) ?? throw DffException.BadRequest("DamagedPackage", $"The package lacks '{PayloadFile}'");
            // Parsed straight from the counted stream: a payload past the limit is refused before it is ever held whole.
            using var payload = new UnpackBudget().Open(entry);
            return FromPayload(JsonNode.Parse(payload)?.AsObject()
                ?? throw DffException.BadRequest("DamagedPackage", $"'{PayloadFile}' is empty"));
        }
        catch (Exception damaged) when (damaged is InvalidDataException or JsonException or InvalidOperationException or FormatException)
        {
            throw DffException.BadRequest("DamagedPackage", $"The DataFlux Func package is damaged: {damaged.Message}");
        }
    }

    /// <summary>
    /// The file of a zip as 1.x writes it: the zip's base64 padded with spaces to whole AES blocks (always at least one
    /// space, as 1.x's padding does), encrypted with the password padded to 32, and that in base64.
    /// </summary>
    internal static byte[] Seal(byte[] zip, string password)
    {
        var plain = Convert.ToBase64String(zip);
        plain = plain.PadRight((plain.Length / 16 + 1) * 16);
        using var aes = Aes.Create();
        aes.Key = Encoding.UTF8.GetBytes(password.PadRight((password.Length / 32 + 1) * 32))[..32];
        return Encoding.ASCII.GetBytes(Convert.ToBase64String(aes.EncryptCbc(Encoding.ASCII.GetBytes(plain), new byte[16], PaddingMode.None)));
    }

    internal const string PayloadFileName = PayloadFile;

    private static byte[]? Ciphertext(byte[] file)
    {
        var text = Encoding.ASCII.GetString(file).Trim();
        var bytes = new byte[text.Length];
        return text.Length > 0 && Convert.TryFromBase64String(text, bytes, out var length) && length % 16 == 0 && length > 0
            ? bytes[..length]
            : null;
    }

    /// <summary>The 1.x payload: <c>{scriptSets, scripts, funcs, authLinks, crontabConfigs, batches, envVariables, note}</c>, rows as in its tables.</summary>
    private static PackageContent FromPayload(JsonObject payload)
    {
        var now = DateTimeOffset.UtcNow;
        var scripts = Rows(payload, "scripts");
        var sets = Rows(payload, "scriptSets").Select(set =>
        {
            var setId = Text(set, "id");
            return new ScriptSetContent(setId, Text(set, "title"), Text(set, "description"), scripts
                .Where(s => Text(s, "scriptSetId") == setId || Text(s, "id").StartsWith(setId + "__", StringComparison.Ordinal))
                .Select(s => new ScriptContent(Text(s, "id"), Text(s, "title"), Text(s, "description"), Text(s, "code"), Text(s, "code"), []))
                .ToList());
        }).ToList();
        var links = Rows(payload, "authLinks").Select(l => new AuthLinkInfo(Text(l, "id"), Text(l, "funcId"), JsonText(l, "funcCallKwargsJSON"),
            JsonSerializer.Deserialize<Throttling>(JsonText(l, "throttlingJSON"), JsonSerializerOptions.Web) ?? new Throttling(),
            Time(l, "expireTime"), Flag(l, "showInDoc"), Flag(l, "isDisabled"), Text(l, "note"), now, now)).ToList();
        var crontabs = Rows(payload, "crontabConfigs").Select(c => new CrontabConfigInfo(Text(c, "id"), Text(c, "funcId"),
            JsonText(c, "funcCallKwargsJSON"), Text(c, "crontab"), "Asia/Shanghai", Time(c, "expireTime"), Flag(c, "isDisabled"), null,
            Text(c, "note"), now, now)).ToList();
        var batches = Rows(payload, "batches").Select(b => new BatchInfo(Text(b, "id"), Text(b, "funcId"), JsonText(b, "funcCallKwargsJSON"),
            Flag(b, "showInDoc"), Flag(b, "isDisabled"), Text(b, "note"), now, now)).ToList();
        var envVariables = Rows(payload, "envVariables").Select(e => new EnvVarInfo(Text(e, "id"), Text(e, "title"), Text(e, "description"),
            Text(e, "valueTEXT"), JsonSerializer.Deserialize<AutoTypeCasting>($"\"{(Text(e, "autoTypeCasting") is { Length: > 0 } t ? t : "string")}\""),
            now, now)).ToList();
        // 1.x blanked the secrets (passwordCipher...) of its data sources; their configJSON carries the rest.
        var dataSources = Rows(payload, "dataSources").Select(d => new DataSourceInfo(Text(d, "id"), Text(d, "title"), Text(d, "description"),
            JsonSerializer.Deserialize<DataSourceType>($"\"{Text(d, "type")}\""), JsonText(d, "configJSON"), [], now, now)).ToList();
        return new PackageContent(sets, links, crontabs, batches, envVariables, dataSources, Text(payload, "note"), null, null);
    }

    private static IEnumerable<JsonObject> Rows(JsonObject payload, string name) =>
        payload[name] is JsonArray rows ? rows.OfType<JsonObject>() : [];

    private static string Text(JsonObject row, string name) => row[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    private static bool Flag(JsonObject row, string name) => row[name] is JsonValue value &&
        (value.TryGetValue<bool>(out var flag) ? flag : value.TryGetValue<int>(out var number) && number != 0);

    private static DateTimeOffset? Time(JsonObject row, string name) =>
        DateTimeOffset.TryParse(Text(row, name), out var time) ? time : null;

    /// <summary>A JSON column: 1.x rows hold it as text or as the object itself; missing means an empty object.</summary>
    private static string JsonText(JsonObject row, string name) => row[name] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 0 => text,
        JsonObject obj => obj.ToJsonString(),
        _ => "{}",
    };
}
