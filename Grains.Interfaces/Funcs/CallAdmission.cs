namespace OrleansFunc.Funcs;

/// <summary>
/// What an admitted call of an auth link or batch runs: the func and the merged kwargs; or, when the caller must pass an
/// API authentication method first, only that method's ID (<see cref="ApiAuthId"/>, the kwargs empty); or, when the
/// entry tells callers apart by a header, only that header's name (<see cref="CallerKeyHeader"/>). A batch's admission
/// carries what the failure of the run it queues asks for (<see cref="OnFailure"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("of.CallAdmission")]
public sealed record CallAdmission(string FuncId, string KwargsJson, string? ApiAuthId = null, string? CallerKeyHeader = null,
    Engine.FailureHandling? OnFailure = null)
{
    public bool NeedsAuthentication => ApiAuthId is not null;

    public bool NeedsCallerKey => CallerKeyHeader is not null;
}

/// <summary>Who is calling, as far as per-caller limits need: the address, and the value of the header the entry asked for.</summary>
[GenerateSerializer, Immutable, Alias("of.CallerIdentity")]
public sealed record CallerIdentity(string Address, string? HeaderName = null, string? HeaderValue = null);
