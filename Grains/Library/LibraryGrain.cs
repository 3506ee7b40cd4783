using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;
using OrleansFunc.Packages;
using OrleansFunc.Records;

namespace OrleansFunc.Library;

public sealed class LibraryGrain(RestorePointStore points, OrleansFuncOptions options) : Grain, ILibraryGrain
{
    public async Task<RestorePointInfo> CreateRestorePointAsync(string kind, string note, Actor actor)
    {
        FieldRules.RequireMaxLength("note", note, FieldRules.MaxDescriptionLength);
        var library = await LibrarySnapshot.TakeAsync(GrainFactory);
        return await points.InsertAsync(kind, note, actor, library, options.RestorePointsKept);
    }

    public async Task<LibraryChange> RestoreAsync(string restorePointId, Actor actor)
    {
        var library = await points.GetContentAsync(restorePointId)
            ?? throw DffException.NotFound("NoSuchRestorePoint", $"No such restore point: '{restorePointId}'", new { id = restorePointId });
        await CreateRestorePointAsync(RestorePointKinds.BeforeRestore, $"Before restoring {restorePointId}", actor);
        return await LibrarySnapshot.ApplyAsync(GrainFactory, library, removeOthers: true, $"Restored {restorePointId}", actor);
    }

    public async Task<RestorePreview> PreviewRestoreAsync(string restorePointId)
    {
        var point = await points.GetContentAsync(restorePointId)
            ?? throw DffException.NotFound("NoSuchRestorePoint", $"No such restore point: '{restorePointId}'", new { id = restorePointId });
        return new RestorePreview(restorePointId, LibraryDiff.Between(await LibrarySnapshot.TakeAsync(GrainFactory), point));
    }

    public async Task<string> ImportAsync(PackageContent package, string note, Actor actor)
    {
        var point = await CreateRestorePointAsync(RestorePointKinds.BeforeImport, $"Before importing a package: {note}", actor);
        try
        {
            await LibrarySnapshot.ApplyAsync(GrainFactory, package.ScriptSets, removeOthers: false, $"Imported: {note}", actor);
            await PackageEntities.ApplyAsync(GrainFactory, package);
        }
        catch (Exception failure)
        {
            // Put the library back as it was; links, configs and batches written so far stay (restore points hold only the library).
            var library = await points.GetContentAsync(point.Id) ?? [];
            await LibrarySnapshot.ApplyAsync(GrainFactory, library, removeOthers: true, $"Import failed: {failure.Message}", actor);
            throw;
        }
        return point.Id;
    }
}
