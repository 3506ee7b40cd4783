using OrleansFunc.Engine;
using OrleansFunc.Funcs;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>A call through an auth link or a batch, once its entry has admitted it.</summary>
public sealed record AdmittedCall(CallAdmission Admission, CallerArguments Arguments)
{
    /// <summary>
    /// Reads the caller's arguments and has <paramref name="entry"/> admit them. A request that may carry
    /// files is checked first, so nothing it uploads is stored for an entry that refuses it.
    /// </summary>
    public static async Task<AdmittedCall> AdmitAsync(
        ICallEntryGrain entry, HttpRequest request, string? format, UploadStore uploads, TaskOrigin origin)
    {
        if (CallerArguments.MayCarryFiles(request))
        {
            await OnLiveSiloAsync(entry.CheckOpenAsync);
        }
        var arguments = await CallerArguments.ReadAsync(request, format, uploads, origin);
        return new AdmittedCall(await OnLiveSiloAsync(() => entry.AdmitAsync(arguments.KwargsJson)), arguments);
    }

    /// <summary>
    /// The entry's grain may live on a silo that is leaving the cluster (a rolling restart): the call is
    /// asked again, and the grain wakes on a silo that stays. At worst a throttled link counts the call twice.
    /// </summary>
    private static async Task<T> OnLiveSiloAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (SiloUnavailableException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt));
            }
        }
    }

    private static Task OnLiveSiloAsync(Func<Task> call) => OnLiveSiloAsync(async () =>
    {
        await call();
        return true;
    });
}
