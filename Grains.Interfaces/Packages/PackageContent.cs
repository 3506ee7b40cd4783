using OrleansFunc.AuthLinks;
using OrleansFunc.Batches;
using OrleansFunc.Crontabs;
using OrleansFunc.DataSources;
using OrleansFunc.EnvVars;
using OrleansFunc.Library;

namespace OrleansFunc.Packages;

/// <summary>
/// What a script package holds, whatever its file format: script sets with their scripts' code, and
/// the auth links, crontab configs, batches, data sources (never with their secrets) and env variables chosen at export.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.PackageContent")]
public sealed record PackageContent(
    IReadOnlyList<ScriptSetContent> ScriptSets,
    IReadOnlyList<AuthLinkInfo> AuthLinks,
    IReadOnlyList<CrontabConfigInfo> CrontabConfigs,
    IReadOnlyList<BatchInfo> Batches,
    IReadOnlyList<EnvVarInfo> EnvVariables,
    IReadOnlyList<DataSourceInfo> DataSources,
    string Note,
    string? ExportUser,
    DateTimeOffset? ExportTime);

/// <summary>One entity an import adds or replaces.</summary>
/// <param name="Type"><c>scriptSet</c>, <c>script</c>, <c>authLink</c>, <c>crontabConfig</c>, <c>batch</c>, <c>dataSource</c> or <c>envVariable</c>.</param>
/// <param name="Action"><c>add</c> or <c>replace</c>.</param>
/// <param name="ConfigChanges">For a replaced data source: every config field the import changes (secret values never shown).</param>
/// <param name="SecretsToTypeAgain">
/// For a replaced data source whose destination (host, port, user…) changes: the stored secrets the import
/// drops, so that they never travel to the new place; they must be typed again after the import.
/// </param>
[GenerateSerializer, Immutable, Alias("of.ImportDiffEntry")]
public sealed record ImportDiffEntry(
    string Type, string Id, string Title, string Action,
    IReadOnlyList<ImportConfigChange>? ConfigChanges = null, IReadOnlyList<string>? SecretsToTypeAgain = null);

/// <summary>One config field an import changes: its value before and after, as JSON text (null when unset).</summary>
[GenerateSerializer, Immutable, Alias("of.ImportConfigChange")]
public sealed record ImportConfigChange(string Field, string? Before, string? After);

/// <summary>What confirming an import would change; nothing is changed before the confirmation.</summary>
[GenerateSerializer, Immutable, Alias("of.ImportPreview")]
public sealed record ImportPreview(
    string ConfirmId, IReadOnlyList<ImportDiffEntry> Diff, string Note, DateTimeOffset ExpireTime, IReadOnlyList<MigrationNote>? MigrationNotes = null);

/// <summary>
/// The migration report of an import: something a script of the package uses that OrleansFunc has not or has
/// otherwise (a DFF name, a DFF.API option, a module, what Python 3.8 to 3.11 removed), found by reading its code.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.MigrationNote")]
public sealed record MigrationNote(string ScriptId, int? Line, string Name, string Message);

/// <summary>A finished import as its history lists it (no code).</summary>
[GenerateSerializer, Immutable, Alias("of.ImportRecord")]
public sealed record ImportRecord(
    string Id, DateTimeOffset ImportTime, string? UserId, string? Username, string Note, string RestorePointId,
    IReadOnlyList<ImportDiffEntry> Summary);

/// <summary>An import waiting for its confirmation, keyed by its confirm ID (held in memory for 15 minutes).</summary>
[Alias("of.package-import")]
public interface IPackageImportGrain : IGrainWithStringKey
{
    /// <summary>Holds the package for confirmation and answers what it would add or replace.</summary>
    [Alias("stage")]
    Task<ImportPreview> StageAsync(PackageContent content);

    /// <summary>Applies the staged package (once); 404.41 when the confirm ID is unknown or expired.</summary>
    [Alias("confirm"), ResponseTimeout("00:05:00")]
    Task<ImportRecord> ConfirmAsync(Common.Actor actor);
}
