namespace OrleansFunc.Funcs;

/// <summary>
/// This host's share of a throttled entry's calls (<see cref="CallShare"/>): calls taken from it without a grain call,
/// and a new share asked for by one call at a time when it runs out or expires, sized to what the host used of the last.
/// While the entry hands out none (its window is nearly full), every call goes to the grain until the answer expires.
/// </summary>
public sealed class HostCallShare(ICallEntryGrain entry)
{
    /// <summary>A new share is sized to last about this long at the rate the last one was used.</summary>
    private const long TargetMilliseconds = 250;

    private const int FirstWanted = 16;
    private const int MostWanted = 1_000_000;

    private readonly Lock _gate = new();

    /// <summary>Calls left: taken without the gate, so it may go below zero under contention (read as none).</summary>
    private int _left;

    private int _granted;
    private long _grantedAtSecond;
    private long _grantedAtTick;
    private long _expiresAtTick;
    private int _wanted = FirstWanted;
    private Task? _refill;

    /// <summary>Takes one call of the share, asking the entry for a new share when needed; false: the entry must admit the call itself.</summary>
    public async ValueTask<bool> TryTakeAsync()
    {
        // Twice at most: a share handed out while others waited for it may be gone before this call's turn.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (TryTakeNow(out var hasShare))
            {
                return true;
            }
            if (!hasShare && Environment.TickCount64 < Volatile.Read(ref _expiresAtTick))
            {
                // The entry handed out none until then: its last calls are counted one by one.
                return false;
            }
            await RefillAsync();
        }
        return false;
    }

    /// <summary>
    /// The share is dropped (its entry changed): what is left of it is given back, unwaited (the entry is busy with the
    /// change that dropped it), so a change does not cost the window what this host held.
    /// </summary>
    public void GiveBackUnused()
    {
        var unused = TakeUnused();
        if (unused > 0 && Environment.TickCount64 < Volatile.Read(ref _expiresAtTick))
        {
            _ = entry.TakeShareAsync(0, unused, _grantedAtSecond).ContinueWith(given => _ = given.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    /// <summary>What is left of the share, taken out at once: no call can use it afterwards.</summary>
    private int TakeUnused() => Math.Max(0, Interlocked.Exchange(ref _left, 0));

    /// <param name="hasShare">Whether the entry handed out calls the last time it was asked.</param>
    private bool TryTakeNow(out bool hasShare)
    {
        hasShare = Volatile.Read(ref _granted) > 0;
        return hasShare && Environment.TickCount64 < Volatile.Read(ref _expiresAtTick) && Interlocked.Decrement(ref _left) >= 0;
    }

    private Task RefillAsync()
    {
        lock (_gate)
        {
            if (_refill is null || _refill.IsCompleted)
            {
                _refill = TakeShareAsync();
            }
            return _refill;
        }
    }

    private async Task TakeShareAsync()
    {
        var now = Environment.TickCount64;
        // What is left of the last share goes back with the request; the calls taken from now on wait for the new one.
        var unused = TakeUnused();
        if (_granted > 0)
        {
            var used = _granted - unused;
            var elapsed = Math.Max(1, now - _grantedAtTick);
            _wanted = (int)Math.Clamp(used * TargetMilliseconds / elapsed, FirstWanted, MostWanted);
        }
        var share = await entry.TakeShareAsync(_wanted, unused, _grantedAtSecond);
        _grantedAtTick = Environment.TickCount64;
        _grantedAtSecond = share.GrantedAtSecond;
        Volatile.Write(ref _granted, share.Calls);
        Volatile.Write(ref _expiresAtTick, _grantedAtTick + (long)share.ValidFor.TotalMilliseconds);
        Volatile.Write(ref _left, share.Calls);
    }
}
