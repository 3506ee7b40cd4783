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
            await entry.CheckOpenAsync();
        }
        var arguments = await CallerArguments.ReadAsync(request, format, uploads, origin);
        return new AdmittedCall(await entry.AdmitAsync(arguments.KwargsJson), arguments);
    }
}
