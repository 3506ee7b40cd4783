using Microsoft.Extensions.Logging;
using OrleansFunc.Common;

namespace OrleansFunc.PythonPackages;

/// <summary>Every few seconds, whether a newer generation of the Python packages is there for this silo to unpack.</summary>
public sealed class PythonPackageSync(PythonPackageSite site, ILogger<PythonPackageSync> logger)
    : PeriodicBackgroundService(Interval, firstRoundAtStart: true, LogLevel.Warning, logger)
{
    /// <summary>How long a silo may give new workers the generation before the newest (one indexed read a round).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    protected override Task RunRoundAsync(CancellationToken stoppingToken) => site.SyncAsync(stoppingToken);
}
