namespace OrleansFunc.AuthLinks;

/// <summary>Call limits of a link per fixed window aligned to the Unix epoch; null = no limit.</summary>
[GenerateSerializer, Immutable, Alias("of.Throttling")]
public sealed record Throttling(int? BySecond = null, int? ByMinute = null, int? ByHour = null, int? ByDay = null,
    int? ByMonth = null, int? ByYear = null)
{
    /// <summary>Each configured rule with its window length (a month is 30 days, a year 365, as in DataFlux Func).</summary>
    public IEnumerable<(string Rule, int Limit, long WindowSeconds)> Rules()
    {
        (string, int?, long)[] all =
        [
            ("bySecond", BySecond, 1), ("byMinute", ByMinute, 60), ("byHour", ByHour, 3600), ("byDay", ByDay, 86_400),
            ("byMonth", ByMonth, 30 * 86_400), ("byYear", ByYear, 365 * 86_400),
        ];
        return all.Where(r => r.Item2 is not null).Select(r => (r.Item1, r.Item2!.Value, r.Item3));
    }
}

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
    DateTimeOffset UpdateTime) : OrleansFunc.Common.IListed;

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
    string? Note);
