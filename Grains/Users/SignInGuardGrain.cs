using OrleansFunc.Errors;

namespace OrleansFunc.Users;

/// <summary>
/// Counts sign-in attempts of one key in memory (reference section 7.2, per address as well). Calls
/// to a grain run one at a time, so counting and checking the lock are one step. The activation
/// outlives the longest lock, so the count is kept as long as it matters; a restart forgives it.
/// </summary>
public sealed class SignInGuardGrain(TimeProvider clock) : Grain, ISignInGuardGrain
{
    private static readonly TimeSpan FirstLock = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestLock = TimeSpan.FromMinutes(15);

    private int _failures;
    private DateTimeOffset _windowStart;
    private DateTimeOffset _lockedUntil;

    private bool IsAddress => SignInGuards.IsAddressKey(this.GetPrimaryKeyString());

    public Task BeginAttemptAsync()
    {
        var now = clock.GetUtcNow();
        var wait = _lockedUntil - now;
        if (wait > TimeSpan.Zero)
        {
            var waitSeconds = (int)Math.Ceiling(wait.TotalSeconds);
            throw new DffException(ErrorKind.UserLocked, null,
                $"Too many wrong passwords: sign-in is locked here, try again in {waitSeconds} s", new { waitSeconds });
        }
        if (IsAddress && now - _windowStart > SignInGuards.AddressWindow)
        {
            _windowStart = now;
            _failures = 0;
        }
        _failures++;
        if (IsAddress)
        {
            if (_failures >= SignInGuards.AddressFailuresBeforeLock)
            {
                _lockedUntil = _windowStart + SignInGuards.AddressWindow;
            }
        }
        else if (_failures >= SignInGuards.UserFailuresBeforeLock)
        {
            var doublings = Math.Min(_failures - SignInGuards.UserFailuresBeforeLock, 10);
            _lockedUntil = now + TimeSpan.FromTicks(Math.Min(FirstLock.Ticks << doublings, LongestLock.Ticks));
        }
        // Keep the activation while a lock or a count is held (idle activations are collected after minutes).
        this.DelayDeactivation(LongestLock + FirstLock);
        return Task.CompletedTask;
    }

    public Task RecordSuccessAsync()
    {
        if (IsAddress)
        {
            _failures = Math.Max(0, _failures - 1);
        }
        else
        {
            _failures = 0;
            _lockedUntil = default;
        }
        return Task.CompletedTask;
    }
}
