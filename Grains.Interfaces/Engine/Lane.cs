using System.Text.Json.Serialization;
using OrleansFunc.Common;

namespace OrleansFunc.Engine;

/// <summary>The worker pools: each kind of workload runs on its own, so one never slows another.</summary>
public enum Lane
{
    /// <summary>Auth links, the func API, subscriptions: callers wait.</summary>
    [JsonStringEnumMemberName("sync")]
    Sync,

    /// <summary>Editor runs and publish checks.</summary>
    [JsonStringEnumMemberName("debug")]
    Debug,

    /// <summary>Crontab configs.</summary>
    [JsonStringEnumMemberName("cron")]
    Cron,

    /// <summary>Batches and other asynchronous calls.</summary>
    [JsonStringEnumMemberName("batch")]
    Batch,
}

public static class LaneNames
{
    /// <summary>The lane's name in task records, metrics, traces and pool reports.</summary>
    public static string WireName(this Lane lane) => WireNames<Lane>.Of(lane);
}
