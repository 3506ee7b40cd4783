namespace OrleansFunc.Funcs;

/// <summary>
/// Calls a throttled entry hands to one host, counted in the entry's windows when handed out: the host admits that many
/// calls by itself until <see cref="ValidFor"/> has passed, and gives back what it did not use when it asks for the next.
/// </summary>
/// <param name="Calls">How many calls the host may admit; 0: none now, the entry admits each call itself until then.</param>
/// <param name="GrantedAtSecond">The entry's Unix second when it handed them out: what is given back counts only in the same windows.</param>
/// <param name="ValidFor">Until the first of the entry's windows ends, and <see cref="CallEntryView.Freshness"/> at most.</param>
[GenerateSerializer, Immutable, Alias("of.CallShare")]
public sealed record CallShare(int Calls, long GrantedAtSecond, TimeSpan ValidFor)
{
    /// <summary>No calls: the entry admits each call itself for the next <see cref="CallEntryView.Freshness"/>.</summary>
    public static CallShare None(DateTimeOffset now) => new(0, now.ToUnixTimeSeconds(), CallEntryView.Freshness);
}
