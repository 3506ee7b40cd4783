using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFunc.Common;

namespace OrleansFunc.Hosting;

/// <summary>
/// Asks a <see cref="SafeToRepeatAttribute">safe-to-repeat</see> grain call again when Orleans rejects it
/// because its target silo left (a rolling restart, a kill), so a caller never sees a silo go: the grain
/// wakes on a silo that stays. Calls that may have acted (a run, a counter) fail as before. Every host
/// (silo or client) sends its grain calls through it.
/// </summary>
public sealed partial class RepeatOnLostSilo(IHostApplicationLifetime lifetime, ILogger<RepeatOnLostSilo> logger) : IOutgoingGrainCallFilter
{
    /// <summary>Waits between attempts: 0.2 s doubling, 6.2 s in all, past membership declaring a silo dead (about 6 s).</summary>
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(200);

    private const int Attempts = 6;

    private static readonly ConcurrentDictionary<MethodInfo, bool> Repeatable = new();

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var wait = FirstWait;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await context.Invoke();
                return;
            }
            catch (Exception rejection) when (rejection is OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException
                                              && attempt < Attempts && MayRepeat(context))
            {
                LogRepeating(logger, context.InterfaceName, context.MethodName, attempt, rejection.Message);
                await Task.Delay(wait);
                wait *= 2;
            }
        }
    }

    /// <summary>A host that is stopping itself does not hold its own stop up with calls that cannot succeed.</summary>
    private bool MayRepeat(IOutgoingGrainCallContext context) =>
        !lifetime.ApplicationStopping.IsCancellationRequested && IsSafeToRepeat(context.InterfaceMethod);

    /// <summary>Marked so by us, or one of Orleans' own management reads (the cluster's hosts for <c>/about</c> and the overview).</summary>
    internal static bool IsSafeToRepeat(MethodInfo method) => Repeatable.GetOrAdd(method, m =>
        m.IsDefined(typeof(SafeToRepeatAttribute)) || m.DeclaringType?.IsDefined(typeof(SafeToRepeatAttribute)) == true
        || (m.DeclaringType == typeof(IManagementGrain) && m.Name.StartsWith("Get", StringComparison.Ordinal)));
}
