using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;
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
        await CreateRestorePointAsync("beforeRestore", $"Before restoring {restorePointId}", actor);
        return await LibrarySnapshot.ApplyAsync(GrainFactory, library, removeOthers: true, $"Restored {restorePointId}", actor);
    }
}
