using OrleansFunc.Common;

namespace OrleansFunc.Users;

/// <summary>Stored state of a session grain. The idle expiry is stored lazily (see <see cref="SessionGrain"/>).</summary>
[GenerateSerializer, Alias("of.SessionState")]
public sealed record SessionState
{
    [Id(0)] public Actor? User { get; init; }
    [Id(1)] public DateTimeOffset StartTime { get; init; }
    [Id(2)] public DateTimeOffset ExpireTime { get; init; }
}
