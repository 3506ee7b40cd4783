namespace OrleansFunc.Users;

/// <summary>
/// Sign-in throttling of one key (<see cref="SignInGuards"/>): a username as tried from one client
/// address, or a client address whatever the username. Each attempt is counted as a failure before
/// the password is checked (so attempts sent at once cannot all pass the lock) and forgiven when it
/// succeeds.
/// </summary>
[Alias("of.sign-in-guard")]
public interface ISignInGuardGrain : IGrainWithStringKey
{
    /// <summary>Counts an attempt; 401.17 with <c>waitSeconds</c> while the key is locked (the attempt is not checked then).</summary>
    [Alias("begin")]
    Task BeginAttemptAsync();

    /// <summary>The attempt was right: for a username, the count starts again; for an address, that attempt is not counted.</summary>
    [Alias("succeeded")]
    Task RecordSuccessAsync();
}

/// <summary>The keys of <see cref="ISignInGuardGrain"/> and their limits.</summary>
public static class SignInGuards
{
    /// <summary>A username as tried from one address: someone elsewhere cannot lock its owner out.</summary>
    public static string UserKey(string address, string username) => $"user|{address}|{username}";

    /// <summary>An address, whatever the usernames: guessing across many usernames is bounded as well.</summary>
    public static string AddressKey(string address) => $"address|{address}";

    public static bool IsAddressKey(string key) => key.StartsWith("address|", StringComparison.Ordinal);

    /// <summary>Wrong passwords in a row before a username is locked (1 minute, doubling up to 15).</summary>
    public const int UserFailuresBeforeLock = 10;

    /// <summary>Wrong passwords from one address within <see cref="AddressWindow"/> before it is locked for the rest of it.</summary>
    public const int AddressFailuresBeforeLock = 50;

    public static readonly TimeSpan AddressWindow = TimeSpan.FromMinutes(15);
}
