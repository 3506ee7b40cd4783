using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.WebFront.Auth;

/// <summary>
/// Bounds the slow password checks under way at once (<see cref="AuthSettings.PasswordChecksAtOnce"/>):
/// a flood of sign-ins waits here, so the threads and cores keep serving everyone else, and one that
/// waited too long is answered 429 (TooManySignIns) without a check.
/// </summary>
public sealed class PasswordGate(OrleansFuncOptions options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Auth.PasswordChecksAtOnce > 0 ? options.Auth.PasswordChecksAtOnce : Environment.ProcessorCount);

    public async Task<T> CheckAsync<T>(Func<Task<T>> check, CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(options.Auth.PasswordCheckWait, cancellationToken))
        {
            throw new DffException(ErrorKind.RateLimited, "TooManySignIns", "Too many sign-ins at once; try again in a moment");
        }
        try
        {
            return await check();
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
