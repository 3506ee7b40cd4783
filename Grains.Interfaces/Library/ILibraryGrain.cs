using OrleansFunc.Common;

namespace OrleansFunc.Library;

/// <summary>A restore point as listed: what it holds, not the code itself. <paramref name="Kind"/>: one of <see cref="RestorePointKinds"/>.</summary>
[GenerateSerializer, Immutable, Alias("of.RestorePointInfo")]
public sealed record RestorePointInfo(
    string Id, DateTimeOffset CreateTime, string Kind, string Note, string? UserId, string? Username, int SetCount, int ScriptCount);

/// <summary>
/// One script set or script a restore would change: <paramref name="Change"/> is <c>added</c> (the point has it, the
/// library not), <c>removed</c> (made since the point: the restore removes it) or <c>changed</c>; for a script, its code
/// and draft now and at the point (null where it has none).
/// </summary>
[GenerateSerializer, Immutable, Alias("of.LibraryDiffEntry")]
public sealed record LibraryDiffEntry(
    string Type, string Id, string Title, string Change, string? CodeNow = null, string? CodeAtPoint = null, string? DraftNow = null,
    string? DraftAtPoint = null);

/// <summary>What restoring a point would do to the library, set by set and script by script; nothing is changed.</summary>
[GenerateSerializer, Immutable, Alias("of.RestorePreview")]
public sealed record RestorePreview(string RestorePointId, IReadOnlyList<LibraryDiffEntry> Changes);

/// <summary>
/// The whole script library (key <see cref="Key"/>): restore points, restores and imports go through
/// this one activation, so two of them never interleave anywhere in the cluster.
/// </summary>
[Alias("of.library")]
public interface ILibraryGrain : IGrainWithStringKey
{
    const string Key = "library";

    /// <summary>Saves the current library (sets, scripts with code and draft, funcs) as a restore point.</summary>
    [Alias("create-restore-point"), ResponseTimeout("00:05:00")]
    Task<RestorePointInfo> CreateRestorePointAsync(string kind, string note, Actor actor);

    /// <summary>
    /// Makes the library what the point holds, after saving the current one as a <c>beforeRestore</c>
    /// point; sets made since are removed. 404.41 for an unknown point.
    /// </summary>
    [Alias("restore"), ResponseTimeout("00:05:00")]
    Task<LibraryChange> RestoreAsync(string restorePointId, Actor actor);

    /// <summary>What <see cref="RestoreAsync"/> would change now (404.41 for an unknown point).</summary>
    [Alias("preview-restore"), ResponseTimeout("00:05:00")]
    Task<RestorePreview> PreviewRestoreAsync(string restorePointId);

    /// <summary>
    /// Applies a checked script package after a <c>beforeImport</c> restore point: same-ID sets are
    /// replaced whole, same-ID links, crontab configs, batches and env variables replaced; returns the point's ID.
    /// If applying fails half-way, the library is restored to that point.
    /// </summary>
    [Alias("import"), ResponseTimeout("00:05:00")]
    Task<string> ImportAsync(Packages.PackageContent package, string note, Actor actor);
}
