namespace OrleansFunc.Users;

/// <summary>Stored state of the user directory: user IDs by username, and who the first administrator is.</summary>
[GenerateSerializer, Alias("of.UserDirectoryState")]
public sealed class UserDirectoryState
{
    [Id(0)] public Dictionary<string, string> UserIdsByUsername { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public string? FirstAdminId { get; set; }

    /// <summary>Accounts that sign in through a func, by user ID.</summary>
    [Id(2)] public SortedSet<string> FuncUserIds { get; set; } = new(StringComparer.Ordinal);
}
