namespace OrleansFunc.DataSources;

/// <summary>
/// A data source as listed and shown. <see cref="ConfigJson"/> never holds a secret;
/// <see cref="SecretsSet"/> names the secret fields that have a value.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.DataSourceInfo")]
public sealed record DataSourceInfo(
    string Id,
    string Title,
    string Description,
    DataSourceType Type,
    string ConfigJson,
    IReadOnlyList<string> SecretsSet,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime) : OrleansFunc.Common.IListed;

/// <summary>
/// Fields of a data source. On update, null keeps the current value; in <see cref="ConfigJson"/> a
/// secret field that is absent or null keeps its current value, an empty string clears it.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.DataSourceFields")]
/// <param name="SecretsPending">
/// A required secret may be missing (a source imported from a package, whose secrets are never exported); and
/// when a destination field changes, stored secrets are dropped instead of the change being refused.
/// </param>
public sealed record DataSourceFields(string? Title, string? Description, DataSourceType? Type, string? ConfigJson, bool SecretsPending = false);

/// <summary>
/// What a worker needs to connect: the whole config with its secrets in plain text. Travels only
/// between silo, front end and worker; never answered to an HTTP caller.
/// <see cref="Version"/> changes whenever the type or any config value does (connection pools key on it).
/// </summary>
[GenerateSerializer, Immutable, Alias("of.DataSourceConnection")]
public sealed record DataSourceConnection(string Id, DataSourceType Type, string ConfigJson, string Version);
