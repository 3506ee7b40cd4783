using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.ScriptSets;

namespace OrleansFunc.Scripts;

/// <summary>ID, size and edit-lock rules of scripts (SPEC S1, S2, S6).</summary>
public static class ScriptRules
{
    public const int MaxIdLength = 128;
    public const int MaxCodeLength = 1_000_000;
    public const string Separator = "__";

    /// <summary>How long an edit lock lives without being renewed by the open editor.</summary>
    public static readonly TimeSpan EditLockDuration = TimeSpan.FromSeconds(60);

    /// <summary>Checks <c>&lt;setId&gt;__&lt;name&gt;</c> and returns the set ID.</summary>
    public static string RequireValidId(string id)
    {
        FieldRules.RequireIdentifier("id", id, MaxIdLength);
        var separator = id.IndexOf(Separator, StringComparison.Ordinal);
        if (separator <= 0 || separator + Separator.Length >= id.Length)
        {
            throw DffException.BadRequest("InvalidId",
                $"A script ID must be '<scriptSetId>__<name>': '{id}'", new { field = "id", value = id });
        }
        var setId = id[..separator];
        ScriptSetRules.RequireValidId(setId);
        if (!FieldRules.IdentifierPattern().IsMatch(id[(separator + Separator.Length)..]))
        {
            throw DffException.BadRequest("InvalidId",
                $"The script name after '__' must start with a letter or '_': '{id}'", new { field = "id", value = id });
        }
        return setId;
    }

    /// <summary>
    /// The set part of a script ID already accepted (up to the first <see cref="Separator"/>); an ID
    /// without one is a set of its own, so that it never shares a set with another.
    /// </summary>
    public static string SetIdOf(string scriptId) =>
        scriptId.IndexOf(Separator, StringComparison.Ordinal) is > 0 and var end ? scriptId[..end] : scriptId;

    public static void RequireValidCode(string field, string? code) =>
        FieldRules.RequireMaxLength(field, code, MaxCodeLength);

    /// <summary>403.21 when someone else holds a live edit lock.</summary>
    public static void RequireNotLockedByOther(EditLock? editLock, Actor actor, DateTimeOffset now)
    {
        if (editLock is not null && editLock.UserId != actor.UserId && editLock.ExpireTime > now)
        {
            throw DffException.Condition("ScriptLocked",
                $"The script is being edited by {editLock.Username}",
                new { lockedByUserId = editLock.UserId, lockedByUsername = editLock.Username, editLock.ExpireTime });
        }
    }
}
