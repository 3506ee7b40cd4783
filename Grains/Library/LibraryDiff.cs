namespace OrleansFunc.Library;

/// <summary>
/// How the script library now differs from a restore point's, as a restore would change it: sets and scripts the point
/// brings back, removes and changes, with each changed script's code on both sides (the console shows their diff).
/// </summary>
public static class LibraryDiff
{
    public static IReadOnlyList<LibraryDiffEntry> Between(IReadOnlyList<ScriptSetContent> now, IReadOnlyList<ScriptSetContent> point)
    {
        var changes = new List<LibraryDiffEntry>();
        var nowSets = now.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var pointSets = point.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var id in nowSets.Keys.Union(pointSets.Keys).Order(StringComparer.Ordinal))
        {
            nowSets.TryGetValue(id, out var before);
            pointSets.TryGetValue(id, out var after);
            var setChange = Change(before, after, (b, a) => b.Title != a.Title || b.Description != a.Description);
            var scripts = ScriptChanges(before?.Scripts ?? [], after?.Scripts ?? []);
            if (setChange is not null || scripts.Count > 0)
            {
                changes.Add(new LibraryDiffEntry("scriptSet", id, (after ?? before)!.Title, setChange ?? "changed"));
            }
            changes.AddRange(scripts);
        }
        return changes;
    }

    private static List<LibraryDiffEntry> ScriptChanges(IReadOnlyList<ScriptContent> now, IReadOnlyList<ScriptContent> point)
    {
        var nowScripts = now.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var pointScripts = point.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var changes = new List<LibraryDiffEntry>();
        foreach (var id in nowScripts.Keys.Union(pointScripts.Keys).Order(StringComparer.Ordinal))
        {
            nowScripts.TryGetValue(id, out var before);
            pointScripts.TryGetValue(id, out var after);
            if (Change(before, after, (b, a) => b.Title != a.Title || b.Description != a.Description || b.Code != a.Code || b.CodeDraft != a.CodeDraft)
                is { } change)
            {
                changes.Add(new LibraryDiffEntry("script", id, (after ?? before)!.Title, change,
                    before?.Code, after?.Code, before?.CodeDraft, after?.CodeDraft));
            }
        }
        return changes;
    }

    /// <summary><c>added</c>, <c>removed</c>, <c>changed</c>, or null when both sides are the same.</summary>
    private static string? Change<T>(T? now, T? point, Func<T, T, bool> differ) where T : class =>
        now is null ? "added" : point is null ? "removed" : differ(now, point) ? "changed" : null;
}
