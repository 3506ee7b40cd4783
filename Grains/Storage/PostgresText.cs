using Npgsql;

namespace OrleansFunc.Storage;

/// <summary>What PostgreSQL's text cannot hold: a NUL character, refused as 22021 in a text column and 22P05 in jsonb.</summary>
public static class PostgresText
{
    /// <summary>Whether the failure is PostgreSQL refusing text with a NUL character, which the text's sender must change.</summary>
    public static bool RefusedNul(Exception failure) => failure is PostgresException
    {
        SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter,
    };
}
