namespace OrleansFunc.Users;

/// <summary>Stored state of the user directory: user IDs by username, and who the first administrator is.</summary>
[GenerateSerializer, Alias("of.UserDirectoryState")]
public sealed class UserDirectoryState
{
    [Id(0)] public Dictionary<string, string> UserIdsByUsername { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public string? FirstAdminId { get; set; }
}
