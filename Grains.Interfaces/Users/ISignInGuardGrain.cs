namespace OrleansFunc.Users;

/// <summary>
/// Sign-in throttling of one username (whether or not it exists, so the lock reveals nothing):
/// after 10 wrong passwords in a row the username is locked for min(15 min, 2^(n-10) minutes).
/// </summary>
[Alias("of.sign-in-guard")]
public interface ISignInGuardGrain : IGrainWithStringKey
{
    /// <summary>401.17 with <c>waitSeconds</c> while the username is locked.</summary>
    [Alias("check")]
    Task CheckAsync();

    [Alias("failed")]
    Task RecordFailureAsync();

    [Alias("succeeded")]
    Task RecordSuccessAsync();
}
