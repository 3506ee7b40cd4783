using OrleansFunc.Common;

namespace OrleansFunc.ApiAuths;

/// <summary>Stored state of an API authentication method: field values sealed, passwords hashed.</summary>
[GenerateSerializer, Alias("of.ApiAuthState")]
public sealed record ApiAuthState : IEntityState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public ApiAuthType Type { get; init; }

    /// <summary>The fixed fields, each value sealed by <see cref="DataSources.SecretBox"/>.</summary>
    [Id(3)] public IReadOnlyList<ApiAuthField> SealedFields { get; init; } = [];

    /// <summary>HTTP Basic users: username → <see cref="Users.PasswordHasher"/> hash.</summary>
    [Id(4)] public IReadOnlyDictionary<string, string> PasswordHashes { get; init; } = new Dictionary<string, string>();

    [Id(5)] public string? FuncId { get; init; }
    [Id(6)] public string Note { get; init; } = "";
    [Id(7)] public DateTimeOffset CreateTime { get; init; }
    [Id(8)] public DateTimeOffset UpdateTime { get; init; }
}
