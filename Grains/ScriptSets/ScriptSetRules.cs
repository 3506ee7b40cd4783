using OrleansFunc.Common;
using OrleansFunc.Errors;

namespace OrleansFunc.ScriptSets;

/// <summary>ID rules of script sets (SPEC S1).</summary>
public static class ScriptSetRules
{
    public const int MaxIdLength = 64;

    /// <summary>
    /// An identifier without <c>__</c>. It may not end with <c>_</c> either: the script ID
    /// <c>&lt;setId&gt;__&lt;name&gt;</c> is split at its first <c>__</c>, which must be the separator.
    /// </summary>
    public static void RequireValidId(string id)
    {
        FieldRules.RequireIdentifier("id", id, MaxIdLength);
        if (id.Contains("__", StringComparison.Ordinal) || id.EndsWith('_'))
        {
            throw DffException.BadRequest("InvalidId",
                $"A script set ID may not contain '__' nor end with '_': '{id}'", new { field = "id", value = id });
        }
    }
}
