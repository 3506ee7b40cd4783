namespace OrleansFunc.Funcs;

/// <summary>
/// What an admitted call of an auth link or batch runs: the func and the merged kwargs; or, when the caller must pass an
/// API authentication method first, only that method's ID (<see cref="ApiAuthId"/>, the kwargs empty).
/// </summary>
[GenerateSerializer, Immutable, Alias("of.CallAdmission")]
public sealed record CallAdmission(string FuncId, string KwargsJson, string? ApiAuthId = null)
{
    public bool NeedsAuthentication => ApiAuthId is not null;
}
