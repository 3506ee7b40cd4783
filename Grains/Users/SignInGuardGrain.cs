using OrleansFunc.Errors;

namespace OrleansFunc.Users;

/// <summary>
/// Counts wrong passwords of one username in memory (reference section 7.2). The activation outlives
/// the longest lock, so the count is kept as long as it matters; a restart forgives it.
/// </summary>
public sealed class SignInGuardGrain(TimeProvider clock) : Grain, ISignInGuardGrain
{
    public const int FailuresBeforeLock = 10;
    private static readonly TimeSpan FirstLock = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestLock = TimeSpan.FromMinutes(15);

    private int _failuresInARow;
    private DateTimeOffset _lockedUntil;

    public Task CheckAsync()
    {
        var wait = _lockedUntil - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            var waitSeconds = (int)Math.Ceiling(wait.TotalSeconds);
            throw new DffException(ErrorKind.UserLocked, null,
                $"Too many wrong passwords: this username is locked, try again in {waitSeconds} s", new { waitSeconds });
        }
        return Task.CompletedTask;
    }

    public Task RecordFailureAsync()
    {
        _failuresInARow++;
        if (_failuresInARow >= FailuresBeforeLock)
        {
            var doublings = Math.Min(_failuresInARow - FailuresBeforeLock, 10);
            var lockTime = TimeSpan.FromTicks(Math.Min(FirstLock.Ticks << doublings, LongestLock.Ticks));
            _lockedUntil = clock.GetUtcNow() + lockTime;
        }
        // Keep the activation while a lock or a count is held (idle activations are collected after minutes).
        this.DelayDeactivation(LongestLock + FirstLock);
        return Task.CompletedTask;
    }

    public Task RecordSuccessAsync()
    {
        _failuresInARow = 0;
        _lockedUntil = default;
        return Task.CompletedTask;
    }
}
