using Orleans.Concurrency;
using OrleansFunc.Common;

namespace OrleansFunc.Scripts;

/// <summary>One script (ID <c>&lt;setId&gt;__&lt;name&gt;</c>) with its draft, published code and edit lock.</summary>
[Alias("of.script")]
public interface IScriptGrain : IGrainWithStringKey
{
    /// <summary>Creates the script in its set; 409.42 if taken, 404.41 if the set is missing.</summary>
    [Alias("create")]
    Task<ScriptInfo> CreateAsync(NewScript fields);

    /// <summary>The script with code and draft, or 404.41.</summary>
    [SafeToRepeat]
    [Alias("get")]
    Task<ScriptDetail> GetAsync();

    /// <summary>Changes title, description and/or draft; 409.25 when the draft base is stale.</summary>
    [Alias("update")]
    Task<ScriptInfo> UpdateAsync(ScriptChange change, Actor actor);

    /// <summary>
    /// Makes the checked draft the live code with its funcs and records the publish; 409.25 when the
    /// draft changed after the check.
    /// </summary>
    [Alias("publish")]
    Task<PublishResult> PublishAsync(PublishRequest request, Actor actor);

    /// <summary>Resets the draft to the published code.</summary>
    [Alias("revert-draft")]
    Task<ScriptInfo> RevertDraftAsync(Actor actor);

    /// <summary>Deletes the script.</summary>
    [Alias("delete")]
    Task DeleteAsync(Actor actor);

    /// <summary>
    /// Deletes the script as part of deleting its set (the set grain calls this). Interleaves, so a
    /// create that is waiting on the set cannot deadlock with the set's deletion.
    /// </summary>
    [Alias("delete-with-set"), AlwaysInterleave]
    Task DeleteWithSetAsync();

    /// <summary>
    /// Overwrites the script with <paramref name="content"/> (code, draft and funcs), creating it if
    /// missing; a changed code counts as a publish with <paramref name="note"/>. Only its set calls this,
    /// so it interleaves like <see cref="DeleteWithSetAsync"/>.
    /// </summary>
    [Alias("replace"), AlwaysInterleave]
    Task ReplaceAsync(Library.ScriptContent content, string note, Actor actor);

    /// <summary>Takes or renews the edit lock; 403.21 while another user holds it.</summary>
    [Alias("lock")]
    Task<EditLock> AcquireLockAsync(Actor actor);

    /// <summary>Gives the edit lock up; only its holder may.</summary>
    [Alias("unlock")]
    Task ReleaseLockAsync(Actor actor);
}
