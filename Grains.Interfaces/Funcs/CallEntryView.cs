namespace OrleansFunc.Funcs;

/// <summary>
/// What a front end needs to admit the calls of an entry by itself: one that exists, is enabled, asks no API
/// authentication and counts no call (no throttling). Kept by each host (<c>CallEntryViews</c>) and dropped by every host
/// before a change of the entry is acknowledged, so the grain is not asked once per call.
/// </summary>
/// <param name="ExpireTime">The entry refuses calls from then on (the grain says how).</param>
/// <param name="OnFailure">What the failure of a run it queues asks for (a batch's retries and error handler).</param>
[GenerateSerializer, Immutable, Alias("of.CallEntryView")]
public sealed record CallEntryView(string FuncId, string FuncCallKwargsJson, DateTimeOffset? ExpireTime = null, Engine.FailureHandling? OnFailure = null);
