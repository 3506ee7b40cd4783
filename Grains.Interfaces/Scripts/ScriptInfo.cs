using OrleansFunc.Funcs;

namespace OrleansFunc.Scripts;

/// <summary>A script without its code, as listed.</summary>
[GenerateSerializer, Immutable, Alias("of.ScriptInfo")]
public sealed record ScriptInfo(
    string Id,
    string ScriptSetId,
    string Title,
    string Description,
    int PublishVersion,
    string CodeMD5,
    string CodeDraftMD5,
    DateTimeOffset? PublishTime,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime)
{
    /// <summary>The draft differs from the published code.</summary>
    public bool HasUnpublishedChanges => CodeMD5 != CodeDraftMD5;
}

/// <summary>A script with its published code, its draft, the funcs its published code exports, and its edit lock.</summary>
[GenerateSerializer, Immutable, Alias("of.ScriptDetail")]
public sealed record ScriptDetail(ScriptInfo Info, string Code, string CodeDraft, IReadOnlyList<FuncInfo> Funcs, EditLock? Lock);

/// <summary>Who edits a script, until when (SPEC S6).</summary>
[GenerateSerializer, Immutable, Alias("of.EditLock")]
public sealed record EditLock(string UserId, string Username, DateTimeOffset ExpireTime);

/// <summary>Fields of a new script.</summary>
[GenerateSerializer, Immutable, Alias("of.NewScript")]
public sealed record NewScript(string? Title, string? Description, string? CodeDraft);

/// <summary>
/// A change to a script; null members stay as they are. With <see cref="PrevCodeDraftMD5"/> the draft
/// is only saved if it is still the one the editor started from (optimistic lock).
/// </summary>
[GenerateSerializer, Immutable, Alias("of.ScriptChange")]
public sealed record ScriptChange(string? Title, string? Description, string? CodeDraft, string? PrevCodeDraftMD5);

/// <summary>
/// A publish of a draft that passed the check: <see cref="CheckedDraftMD5"/> names the draft that was
/// checked, so a draft saved meanwhile is not published unchecked.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.PublishRequest")]
public sealed record PublishRequest(string? Note, string CheckedDraftMD5, IReadOnlyList<FuncInfo> Funcs);

/// <summary>What a publish produced.</summary>
[GenerateSerializer, Immutable, Alias("of.PublishResult")]
public sealed record PublishResult(string Id, int PublishVersion, string CodeMD5, DateTimeOffset PublishTime, IReadOnlyList<FuncInfo> Funcs);
