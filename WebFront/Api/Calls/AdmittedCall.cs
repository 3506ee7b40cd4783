using OrleansFunc.Engine;
using OrleansFunc.Funcs;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>A call through an auth link or a batch, once its entry has admitted it.</summary>
public sealed record AdmittedCall(CallAdmission Admission, CallerArguments Arguments)
{
    /// <summary>
    /// Reads the caller's arguments and has <paramref name="entry"/> admit them. A request that may carry files is checked
    /// first (and authenticated, when the entry asks for it), so nothing it uploads is stored for an entry that refuses it.
    /// An entry with an API authentication method admits a call only once the caller has passed it. An entry that counts
    /// nothing and asks no authentication is admitted by this host's view of it, without a grain call.
    /// </summary>
    public static async Task<AdmittedCall> AdmitAsync(
        ICallEntryGrain entry, HttpRequest request, string? format, UploadStore uploads, TaskOrigin origin, ApiAuthentication authentication,
        CallEntryViews views)
    {
        OrleansFunc.ApiAuths.ApiAuthCheck? passed = null;
        if (CallerArguments.MayCarryFiles(request) && await entry.CheckOpenAsync() is { } method)
        {
            passed = await authentication.AuthenticateAsync(method, request);
        }
        var arguments = await CallerArguments.ReadAsync(request, format, uploads, origin);
        if (passed is not null)
        {
            arguments = arguments with { KwargsJson = ApiAuthentication.WithoutCredentials(passed, arguments.KwargsJson, request) };
        }
        if (passed is null && await views.TryAdmitAsync(entry, arguments.KwargsJson) is { } admitted)
        {
            return new AdmittedCall(admitted, arguments);
        }
        var caller = new CallerIdentity(request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "");
        var admission = await entry.AdmitAsync(arguments.KwargsJson, passed?.Id, caller);
        if (admission.ApiAuthId is { } required)
        {
            passed = await authentication.AuthenticateAsync(required, request, arguments.BodyJson);
            arguments = arguments with { KwargsJson = ApiAuthentication.WithoutCredentials(passed, arguments.KwargsJson, request) };
            admission = await entry.AdmitAsync(arguments.KwargsJson, passed.Id, caller);
            if (admission.NeedsAuthentication)
            {
                // The entry was given another method while this call was being checked.
                throw new Errors.DffException(Errors.ErrorKind.ApiAuthFailed, null, "API auth failed: the entry's API auth changed; call again");
            }
        }
        if (admission.CallerKeyHeader is { } header)
        {
            // The entry counts callers by this header: ask again with its value (it is kept only as a digest).
            caller = caller with { HeaderName = header, HeaderValue = request.Headers[header].ToString() };
            admission = await entry.AdmitAsync(arguments.KwargsJson, passed?.Id, caller);
            if (admission.NeedsAuthentication || admission.NeedsCallerKey)
            {
                throw new Errors.DffException(Errors.ErrorKind.BizCondition, "CallEntryChanged", "The entry's settings changed while this call was checked; call again");
            }
        }
        return new AdmittedCall(admission, arguments);
    }
}
