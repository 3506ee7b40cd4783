namespace OrleansFunc.Engine;

/// <summary>The worker pools: each kind of workload runs on its own, so one never slows another.</summary>
public enum Lane
{
    /// <summary>Auth links, the func API, subscriptions: callers wait.</summary>
    Sync,

    /// <summary>Editor runs and publish checks.</summary>
    Debug,

    /// <summary>Crontab configs.</summary>
    Cron,

    /// <summary>Batches and other asynchronous calls.</summary>
    Batch,
}
