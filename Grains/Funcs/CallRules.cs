using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansFunc.Common;
using OrleansFunc.Errors;

namespace OrleansFunc.Funcs;

/// <summary>
/// Rules shared by auth links and batches: IDs, the kwargs template, and how a caller's kwargs merge
/// into it (reference section 3.4).
/// </summary>
public static partial class CallRules
{
    public const int MaxIdLength = 64;
    public const int MaxNoteLength = 5000;
    public static readonly string[] Placeholders = ["INPUT_BY_CALLER", "FROM_PARAMETER"];
    private const string EmptyObject = "{}";

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex IdPattern();

    /// <summary>A new ID like DataFlux Func's: the prefix (<c>auln</c>, <c>bat</c>), '-' and 21 random URL-safe characters.</summary>
    public static string NewId(string prefix)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";
        return $"{prefix}-" + string.Concat(RandomNumberGenerator.GetItems<char>(alphabet, 21));
    }

    public static void RequireValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || !IdPattern().IsMatch(id))
        {
            throw DffException.BadRequest("InvalidId",
                $"An ID has 1 to {MaxIdLength} letters, digits, '_' or '-': '{id}'", new { field = "id", value = id });
        }
    }

    /// <summary>400.43 unless an entity's own record count limit is between 1 and the server's per-origin limit.</summary>
    public static void RequireValidTaskRecordLimit(int? limit, int maxTaskRecords)
    {
        if (limit is { } value && (value < 1 || value > maxTaskRecords))
        {
            throw DffException.BadRequest("InvalidTaskRecordLimit", $"'taskRecordLimit' must be between 1 and {maxTaskRecords}",
                new { field = "taskRecordLimit", value });
        }
    }

    /// <summary>400.43 unless the note fits and the kwargs template is a JSON object.</summary>
    public static void RequireValidTemplate(string? note, string? funcCallKwargsJson)
    {
        FieldRules.RequireMaxLength("note", note, MaxNoteLength);
        if (funcCallKwargsJson is { } template)
        {
            using var parsed = JsonDocument.Parse(template);
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw DffException.BadRequest("InvalidKwargs", "'funcCallKwargs' must be a JSON object", new { field = "funcCallKwargs" });
            }
        }
    }

    /// <summary>The func ID of a new link or batch: 400.43 when missing, 404.41 when no published script exports it.</summary>
    public static async Task<string> RequireNewFuncIdAsync(IGrainFactory grains, string? funcId)
    {
        if (funcId is null)
        {
            throw DffException.BadRequest("MissingFuncId", "'funcId' is required", new { field = "funcId" });
        }
        await RequireFuncExistsAsync(grains, funcId);
        return funcId;
    }

    /// <summary>404.41 unless a published script exports the func (given as <paramref name="field"/>).</summary>
    public static async Task RequireFuncExistsAsync(IGrainFactory grains, string funcId, string field = "funcId")
    {
        var found = await grains.GetGrain<IFuncDirectoryGrain>(IFuncDirectoryGrain.Key)
            .ListAsync(new FuncFilter(FuncId: funcId, IncludeHidden: true), new PageRequest(1, 1));
        if (found.TotalCount == 0)
        {
            throw DffException.NotFound("NoSuchFunc", $"No such Func: '{funcId}'", new { funcId, field });
        }
    }

    /// <summary>
    /// Merges a caller's kwargs into the template: placeholders take the caller's value (or are left
    /// out), fixed values stay and may not be overridden (400.43), other caller kwargs pass through.
    /// </summary>
    public static string MergeKwargs(string templateJson, string callerJson, string funcId)
    {
        if (templateJson == EmptyObject && callerJson == EmptyObject)
        {
            // The usual call of a link without fixed kwargs: nothing to merge, nothing to parse.
            return EmptyObject;
        }
        var template = JsonNode.Parse(templateJson)!.AsObject();
        var caller = JsonNode.Parse(callerJson)!.AsObject();
        var merged = new JsonObject();
        foreach (var (name, value) in template)
        {
            var isPlaceholder = value is JsonValue text && text.TryGetValue<string>(out var s) && Placeholders.Contains(s);
            if (isPlaceholder)
            {
                continue;
            }
            if (caller.ContainsKey(name))
            {
                throw DffException.BadRequest("FixedKwargsOverridden", $"Cannot specify a fixed kwargs field: '{name}'",
                    new { kwargsField = name, kwargsValue = value?.ToJsonString(), funcId });
            }
            merged[name] = value?.DeepClone();
        }
        foreach (var (name, value) in caller)
        {
            merged[name] = value?.DeepClone();
        }
        return merged.ToJsonString();
    }
}
