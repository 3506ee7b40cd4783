using System.Text.Json.Nodes;
using OrleansFunc.Common;
using OrleansFunc.DataSources;

namespace OrleansFunc.Packages;

/// <summary>
/// What importing a package's data source over an existing one changes: every config field, and the
/// stored secrets that are dropped because the destination moves (the same rule as an API change,
/// <see cref="DataSourceRules.KeepableSecrets"/>, except that an import cannot type them again).
/// </summary>
public static class DataSourceImportDiff
{
    /// <summary>How a secret shows in a preview: never its value.</summary>
    private const string SecretSet = "\"(set)\"";

    public static ImportDiffEntry Of(DataSourceInfo current, DataSourceInfo imported)
    {
        if (current.Type != imported.Type)
        {
            // The confirmation refuses this (a source's type cannot change); the preview says so already.
            return new ImportDiffEntry(EntityType.DataSource.WireName(), imported.Id, imported.Title, "replace",
                [new ImportConfigChange("type", Quoted(current.Type.Describe().Title), Quoted(imported.Type.Describe().Title))], []);
        }
        var type = current.Type;
        var before = (JsonNode.Parse(current.ConfigJson) as JsonObject) ?? [];
        var after = DataSourceRules.Normalize(type, imported.ConfigJson, new Dictionary<string, string>(), secretsPending: true);
        var changes = new List<ImportConfigChange>();
        foreach (var field in type.Describe().Fields)
        {
            if (field.Kind == ConfigFieldKind.Secret)
            {
                if (after.Secrets.ContainsKey(field.Name))
                {
                    changes.Add(new ImportConfigChange(field.Name, current.SecretsSet.Contains(field.Name) ? SecretSet : null, "\"(from the package)\""));
                }
                continue;
            }
            if (!JsonNode.DeepEquals(before[field.Name], after.Plain[field.Name]))
            {
                changes.Add(new ImportConfigChange(field.Name, before[field.Name]?.ToJsonString(), after.Plain[field.Name]?.ToJsonString()));
            }
        }
        var moved = DataSourceRules.MovedDestinationFields(type, before, after.Plain).Count > 0;
        var dropped = moved ? current.SecretsSet.Where(name => !after.Secrets.ContainsKey(name)).ToList() : [];
        return new ImportDiffEntry(EntityType.DataSource.WireName(), imported.Id, imported.Title, "replace", changes, dropped);
    }

    private static string Quoted(string text) => JsonValue.Create(text).ToJsonString();
}
