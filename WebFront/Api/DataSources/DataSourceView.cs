using System.Text.Json;
using OrleansFunc.DataSources;

namespace OrleansFunc.WebFront.Api.DataSources;

/// <summary>A data source as the API shows it: <c>configJSON</c> without secrets, <c>secretsSet</c> naming those that have a value.</summary>
public sealed record DataSourceView(
    string Id,
    string Title,
    string Description,
    DataSourceType Type,
    JsonElement ConfigJSON,
    IReadOnlyList<string> SecretsSet,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime)
{
    public static DataSourceView Of(DataSourceInfo info)
    {
        using var config = JsonDocument.Parse(info.ConfigJson);
        return new(info.Id, info.Title, info.Description, info.Type, config.RootElement.Clone(), info.SecretsSet, info.CreateTime, info.UpdateTime);
    }
}

/// <summary>A type and its config fields, for the console's form.</summary>
public sealed record DataSourceTypeView(DataSourceType Type, string Title, IReadOnlyList<ConfigFieldView> Fields, bool HasStructure, bool Subscribes)
{
    public static DataSourceTypeView Of(DataSourceTypeDescriptor d) =>
        new(d.Type, d.Title, d.Fields.Select(f => new ConfigFieldView(f.Name, f.Kind, f.Required, f.Default?.ToString(), f.Choices, f.Destination)).ToList(),
            d.HasStructure, d.Subscribes);
}

/// <param name="Destination">Changing this field needs the stored secrets typed again (they are never sent to a new place).</param>
public sealed record ConfigFieldView(string Name, ConfigFieldKind Kind, bool Required, string? Default, IReadOnlyList<string>? Choices, bool Destination);
