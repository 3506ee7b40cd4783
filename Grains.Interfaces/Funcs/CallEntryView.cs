namespace OrleansFunc.Funcs;

/// <summary>
/// What a front end needs to admit the calls of an entry by itself: one that exists, is enabled, asks no API
/// authentication, and counts no call or only its own windows (a link's throttling without per-caller limits). Kept by
/// each host (<c>CallEntryViews</c>) and dropped by every host before a change of the entry is acknowledged, so the grain
/// is not asked once per call.
/// </summary>
/// <param name="ExpireTime">The entry refuses calls from then on (the grain says how).</param>
/// <param name="OnFailure">What the failure of a run it queues asks for (a batch's retries and error handler).</param>
/// <param name="CountedByShares">The entry counts its calls: the host admits them from a <see cref="CallShare"/> it takes.</param>
[GenerateSerializer, Immutable, Alias("of.CallEntryView")]
public sealed record CallEntryView(
    string FuncId, string FuncCallKwargsJson, DateTimeOffset? ExpireTime = null, Engine.FailureHandling? OnFailure = null, bool CountedByShares = false)
{
    /// <summary>How long a host acts on a view or a share without asking again: for a host that missed the news of a change.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);
}
