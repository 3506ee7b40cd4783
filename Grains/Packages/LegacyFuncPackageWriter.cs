using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFunc.EnvVars;
using OrleansFunc.Funcs;

namespace OrleansFunc.Packages;

/// <summary>
/// Writes a package as DataFlux Func 1.x exports one (<c>.func-pkg</c>, reference section 6.5), so a team can go back:
/// <c>dataflux-func.json</c> holds the rows of 1.x's tables (sets, scripts with code, funcs with their 1.x options,
/// links, crontab configs, batches, data sources without secrets, env variables without passwords), which a 1.x
/// import writes as they are. What 1.x has no column for is left out: a crontab config's time zone (1.x fires in its
/// server's) and its record limit.
/// </summary>
public static class LegacyFuncPackageWriter
{
    /// <summary>Our <c>DFF.API</c> option names and 1.x's <c>extraConfigJSON</c> keys.</summary>
    private static readonly Dictionary<string, string> ExtraConfigKeys = new()
    {
        ["timeout"] = "timeout", ["api_timeout"] = "apiTimeout", ["cache_result"] = "cacheResult", ["queue"] = "queue",
        ["fixed_crontab"] = "fixedCrontab", ["delayed_crontab"] = "delayedCrontab", ["fixed_task_info_limit"] = "fixedTaskInfoLimit",
        ["integration_config"] = "integrationConfig", ["is_hidden"] = "isHidden", ["hint"] = "hint",
    };

    /// <summary>autoRun's <c>integration_config</c> keys as the publish check names them, and as 1.x stores them.</summary>
    private static readonly Dictionary<string, string> AutoRunKeys = new()
    {
        ["cronExpr"] = "crontab", ["onSystemLaunch"] = "onLaunch", ["onScriptPublish"] = "onPublish",
    };

    public static byte[] Write(PackageContent package, string password)
    {
        var payload = new JsonObject
        {
            ["scriptSets"] = Rows(package.ScriptSets, set => new JsonObject
            {
                ["id"] = set.Id, ["title"] = set.Title, ["description"] = set.Description, ["requirements"] = null,
            }),
            ["scripts"] = Rows(package.ScriptSets.SelectMany(set => set.Scripts.Select(script => (set, script))), item => new JsonObject
            {
                ["id"] = item.script.Id, ["scriptSetId"] = item.set.Id, ["title"] = item.script.Title, ["description"] = item.script.Description,
                ["publishVersion"] = 1, ["type"] = "python", ["code"] = item.script.Code,
            }),
            ["funcs"] = Rows(package.ScriptSets.SelectMany(set => set.Scripts.SelectMany(script => script.Funcs.Select((func, order) => (set, script, func, order)))),
                item => FuncRow(item.set.Id, item.script.Id, item.func, item.order)),
            ["note"] = package.Note,
        };
        if (package.AuthLinks.Count > 0)
        {
            payload["authLinks"] = Rows(package.AuthLinks, l => new JsonObject
            {
                ["id"] = l.Id, ["funcId"] = l.FuncId, ["funcCallKwargsJSON"] = l.FuncCallKwargsJson, ["expireTime"] = Time(l.ExpireTime),
                ["throttlingJSON"] = JsonSerializer.Serialize(l.Throttling, Compact), ["showInDoc"] = Flag(l.ShowInDoc),
                ["isDisabled"] = Flag(l.IsDisabled), ["note"] = l.Note,
            });
        }
        if (package.CrontabConfigs.Count > 0)
        {
            payload["crontabConfigs"] = Rows(package.CrontabConfigs, c => new JsonObject
            {
                ["id"] = c.Id, ["funcId"] = c.FuncId, ["funcCallKwargsJSON"] = c.FuncCallKwargsJson, ["crontab"] = c.Crontab,
                ["expireTime"] = Time(c.ExpireTime), ["isDisabled"] = Flag(c.IsDisabled), ["note"] = c.Note,
            });
        }
        if (package.Batches.Count > 0)
        {
            payload["batches"] = Rows(package.Batches, b => new JsonObject
            {
                ["id"] = b.Id, ["funcId"] = b.FuncId, ["funcCallKwargsJSON"] = b.FuncCallKwargsJson, ["showInDoc"] = Flag(b.ShowInDoc),
                ["isDisabled"] = Flag(b.IsDisabled), ["note"] = b.Note,
            });
        }
        if (package.DataSources.Count > 0)
        {
            // 1.7 reads "connectors", earlier 1.x "dataSources": both, as 1.7 writes them. Secrets were never in the listing.
            JsonArray Sources() => Rows(package.DataSources, d => new JsonObject
            {
                ["id"] = d.Id, ["title"] = d.Title, ["description"] = d.Description, ["type"] = JsonSerializer.SerializeToNode(d.Type),
                ["configJSON"] = d.ConfigJson,
            });
            payload["connectors"] = Sources();
            payload["dataSources"] = Sources();
        }
        if (package.EnvVariables.Count > 0)
        {
            payload["envVariables"] = Rows(package.EnvVariables, e => new JsonObject
            {
                ["id"] = e.Id, ["title"] = e.Title, ["description"] = e.Description,
                ["valueTEXT"] = e.AutoTypeCasting == AutoTypeCasting.Password ? "" : e.ValueTEXT,
                ["autoTypeCasting"] = JsonSerializer.SerializeToNode(e.AutoTypeCasting),
            });
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = zip.CreateEntry(LegacyFuncPackage.PayloadFileName, CompressionLevel.SmallestSize).Open())
        {
            JsonSerializer.Serialize(entry, payload);
        }
        return LegacyFuncPackage.Seal(buffer.ToArray(), password);
    }

    private static JsonObject FuncRow(string setId, string scriptId, FuncInfo func, int order)
    {
        var options = JsonNode.Parse(func.OptionsJson)?.AsObject() ?? [];
        var extra = new JsonObject();
        foreach (var (name, value) in options)
        {
            if (ExtraConfigKeys.TryGetValue(name, out var key))
            {
                extra[key] = name == "integration_config" && value is JsonObject config
                    ? new JsonObject(config.Select(p => KeyValuePair.Create(AutoRunKeys.GetValueOrDefault(p.Key, p.Key), p.Value?.DeepClone())))
                    : value?.DeepClone();
            }
        }
        return new JsonObject
        {
            ["id"] = func.Id, ["scriptSetId"] = setId, ["scriptId"] = scriptId, ["name"] = func.Name, ["title"] = func.Title,
            ["description"] = func.Description, ["definition"] = func.Definition, ["argsJSON"] = JsonSerializer.Serialize(func.Args),
            ["kwargsJSON"] = func.KwargsJson, ["extraConfigJSON"] = extra.Count > 0 ? extra.ToJsonString() : null,
            ["category"] = func.Category, ["integration"] = options["integration"]?.GetValue<string>(),
            ["tagsJSON"] = JsonSerializer.Serialize(func.Tags), ["defOrder"] = order,
        };
    }

    private static readonly JsonSerializerOptions Compact = new(JsonSerializerOptions.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static JsonArray Rows<T>(IEnumerable<T> items, Func<T, JsonObject> row) => new(items.Select(item => (JsonNode)row(item)).ToArray());

    private static int Flag(bool value) => value ? 1 : 0;

    private static string? Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
}
