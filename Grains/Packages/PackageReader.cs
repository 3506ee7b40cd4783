using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Scripts;
using OrleansFunc.ScriptSets;

namespace OrleansFunc.Packages;

/// <summary>
/// Reads an uploaded package of any format we accept (ours sealed or plain, DataFlux Func 1.x) and
/// checks that what it holds is well formed; anything else is a clear 400.43 (403.21 for a wrong password).
/// </summary>
public static class PackageReader
{
    public const int MaxFileBytes = 50 * 1024 * 1024;

    public static PackageContent Read(byte[] file, string? password)
    {
        if (file.Length == 0)
        {
            throw DffException.BadRequest("EmptyPackage", "The package file is empty", new { field = "file" });
        }
        if (file.Length > MaxFileBytes)
        {
            throw DffException.BadRequest("PackageTooLarge", $"A package may be at most {MaxFileBytes / 1024 / 1024} MB", new { field = "file" });
        }
        var package = PackageSeal.IsSealed(file) ? PackageFormat.Read(PackageSeal.Open(file, password))
            : PackageFormat.IsZip(file) ? PackageFormat.Read(file)
            : LegacyFuncPackage.LooksLike(file) ? LegacyFuncPackage.Read(file, password)
            : throw DffException.BadRequest("NotAPackage", "This file is not a script package", new { field = "file" });
        RequireWellFormed(package);
        return package;
    }

    private static void RequireWellFormed(PackageContent package)
    {
        foreach (var set in package.ScriptSets)
        {
            ScriptSetRules.RequireValidId(set.Id);
            foreach (var script in set.Scripts)
            {
                if (ScriptRules.RequireValidId(script.Id) != set.Id)
                {
                    throw DffException.BadRequest("ScriptOutsideItsSet", $"Script '{script.Id}' does not belong to set '{set.Id}'",
                        new { scriptSetId = set.Id, scriptId = script.Id });
                }
                ScriptRules.RequireValidCode("code", script.Code);
            }
        }
        var ids = package.AuthLinks.Select(l => l.Id).Concat(package.CrontabConfigs.Select(c => c.Id)).Concat(package.Batches.Select(b => b.Id));
        foreach (var id in ids)
        {
            CallRules.RequireValidId(id);
        }
        foreach (var duplicate in package.ScriptSets.GroupBy(s => s.Id).Where(g => g.Count() > 1))
        {
            throw DffException.BadRequest("DuplicatedScriptSet", $"The package holds script set '{duplicate.Key}' twice");
        }
    }
}
