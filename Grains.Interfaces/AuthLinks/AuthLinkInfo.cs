namespace OrleansFunc.AuthLinks;

/// <summary>Call limits of a link per fixed window aligned to the Unix epoch; null = no limit.</summary>
/// <param name="PerCaller">Limits of each caller besides the link's own, so one noisy client cannot use up the link.</param>
[GenerateSerializer, Immutable, Alias("of.Throttling")]
public sealed record Throttling(int? BySecond = null, int? ByMinute = null, int? ByHour = null, int? ByDay = null,
    int? ByMonth = null, int? ByYear = null, CallerThrottling? PerCaller = null);

/// <summary>
/// Call limits of each caller of a link, per fixed window: callers are told apart by their address (<c>ip</c>) or by the
/// value of a header (<c>header:X-Api-Key</c>, an API key of the caller's own), counted in the link's grain.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.CallerThrottling")]
public sealed record CallerThrottling(string By, int? BySecond = null, int? ByMinute = null, int? ByHour = null, int? ByDay = null);

/// <summary>An auth link: a public URL that calls one func with a kwargs template.</summary>
/// <param name="FuncCallKwargsJson">JSON object: fixed values, or the placeholders <c>INPUT_BY_CALLER</c> / <c>FROM_PARAMETER</c>.</param>
[GenerateSerializer, Immutable, Alias("of.AuthLinkInfo")]
public sealed record AuthLinkInfo(
    string Id,
    string FuncId,
    string FuncCallKwargsJson,
    Throttling Throttling,
    DateTimeOffset? ExpireTime,
    bool ShowInDoc,
    bool IsDisabled,
    string Note,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime,
    string? ApiAuthId = null,
    int? TaskRecordLimit = null) : OrleansFunc.Common.IListed;

/// <summary>
/// Fields of an auth link. On update, null keeps a field; <see cref="ClearExpireTime"/> removes the expiry.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.AuthLinkFields")]
public sealed record AuthLinkFields(
    string? FuncId,
    string? FuncCallKwargsJson,
    Throttling? Throttling,
    DateTimeOffset? ExpireTime,
    bool ClearExpireTime,
    bool? ShowInDoc,
    bool? IsDisabled,
    string? Note,
    string? ApiAuthId = null,
    int? TaskRecordLimit = null) : OrleansFunc.Funcs.ICallEntryFields;
