using System.Text.Json.Serialization;

namespace OrleansFunc.Crontabs;

/// <summary>
/// What a crontab config does about the minutes it should have fired while the cluster was down (each is recorded as a
/// task record <c>missed</c> either way): skip them, as DataFlux Func does, or run once at start-up for them.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<MissedRuns>))]
public enum MissedRuns
{
    [JsonStringEnumMemberName("skip")] Skip,
    [JsonStringEnumMemberName("runOnce")] RunOnce,
}
