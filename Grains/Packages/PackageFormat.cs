using System.IO.Compression;
using System.Text;
using System.Text.Json;
using OrleansFunc.AuthLinks;
using OrleansFunc.Batches;
using OrleansFunc.Crontabs;
using OrleansFunc.DataSources;
using OrleansFunc.EnvVars;
using OrleansFunc.Errors;
using OrleansFunc.Library;

namespace OrleansFunc.Packages;

/// <summary>
/// Our package file: a zip with one metadata file (sets, scripts, links, configs, batches, env
/// variables) and each script's code as its own <c>.py</c> file, so a package reads and diffs well.
/// </summary>
public static class PackageFormat
{
    public const string MetadataFile = "orleansfunc-package.json";
    private const string FormatName = "orleansfunc-package";
    private const int Version = 1;

    private sealed record ScriptEntry(string Id, string Title, string Description, string File);

    private sealed record SetEntry(string Id, string Title, string Description, IReadOnlyList<ScriptEntry> Scripts);

    private sealed record Metadata(
        string Format, int Version, DateTimeOffset? ExportTime, string? ExportUser, string Note, IReadOnlyList<SetEntry> ScriptSets,
        IReadOnlyList<AuthLinkInfo>? AuthLinks, IReadOnlyList<CrontabConfigInfo>? CrontabConfigs, IReadOnlyList<BatchInfo>? Batches,
        IReadOnlyList<EnvVarInfo>? EnvVariables, IReadOnlyList<DataSourceInfo>? DataSources);

    public static bool IsZip(ReadOnlySpan<byte> file) => file.StartsWith("PK\x03\x04"u8);

    public static byte[] Write(PackageContent package)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var sets = package.ScriptSets.Select(set => new SetEntry(set.Id, set.Title, set.Description,
                set.Scripts.Select(s => new ScriptEntry(s.Id, s.Title, s.Description, $"script-sets/{set.Id}/{s.Id}.py")).ToList())).ToList();
            foreach (var (set, entry) in package.ScriptSets.Zip(sets))
            {
                foreach (var (script, file) in set.Scripts.Zip(entry.Scripts))
                {
                    Add(zip, file.File, script.Code);
                }
            }
            Add(zip, MetadataFile, JsonSerializer.Serialize(new Metadata(FormatName, Version, package.ExportTime, package.ExportUser,
                package.Note, sets, package.AuthLinks, package.CrontabConfigs, package.Batches, package.EnvVariables, package.DataSources), Json));
        }
        return buffer.ToArray();
    }

    /// <summary>The package of a zip; 400.43 for a damaged zip or one that is not ours.</summary>
    public static PackageContent Read(byte[] file)
    {
        try
        {
            using var zip = PackageLimits.OpenZip(file);
            // The declared sizes refuse an honest large package at once; the budget counts what really comes out.
            if (zip.Entries.Sum(e => e.Length) > PackageLimits.MaxUnpackedBytes)
            {
                throw PackageLimits.TooLarge();
            }
            var budget = new UnpackBudget();
            var metadata = JsonSerializer.Deserialize<Metadata>(ReadEntry(zip, MetadataFile, budget), Json);
            if (metadata is not { Format: FormatName, ScriptSets: not null })
            {
                throw NotOurs();
            }
            if (metadata.Version > Version)
            {
                throw DffException.BadRequest("UnknownPackageFormat", $"The package has format version {metadata.Version}; this server reads up to {Version}");
            }
            var sets = metadata.ScriptSets.Select(set => new ScriptSetContent(set.Id, set.Title ?? "", set.Description ?? "",
                set.Scripts.Select(s =>
                {
                    var code = ReadEntry(zip, s.File, budget);
                    return new ScriptContent(s.Id, s.Title ?? "", s.Description ?? "", code, code, []);
                }).ToList())).ToList();
            return new PackageContent(sets, metadata.AuthLinks ?? [], metadata.CrontabConfigs ?? [], metadata.Batches ?? [],
                metadata.EnvVariables ?? [], metadata.DataSources ?? [], metadata.Note ?? "", metadata.ExportUser, metadata.ExportTime);
        }
        catch (Exception damaged) when (damaged is InvalidDataException or JsonException or NullReferenceException or ArgumentException)
        {
            throw DffException.BadRequest("DamagedPackage", $"The package file is damaged: {damaged.Message}");
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { WriteIndented = true };

    private static void Add(ZipArchive zip, string name, string text)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }

    private static string ReadEntry(ZipArchive zip, string name, UnpackBudget budget)
    {
        var entry = zip.GetEntry(name) ?? throw (name == MetadataFile ? NotOurs() : DffException.BadRequest("DamagedPackage", $"The package lacks '{name}'"));
        using var reader = new StreamReader(budget.Open(entry), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static DffException NotOurs() =>
        DffException.BadRequest("NotAPackage", $"This zip is not a script package (no {MetadataFile})");
}
