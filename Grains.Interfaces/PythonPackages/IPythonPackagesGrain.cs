using System.Text.Json.Serialization;
using OrleansFunc.Common;

namespace OrleansFunc.PythonPackages;

/// <summary>What an operation on the installed Python packages does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PackageOperationKind>))]
public enum PackageOperationKind
{
    /// <summary>A package from the index, by name and an optional version specifier.</summary>
    [JsonStringEnumMemberName("install")] Install,

    /// <summary>A wheel an administrator uploaded (its dependencies from the index).</summary>
    [JsonStringEnumMemberName("installWheel")] InstallWheel,

    [JsonStringEnumMemberName("uninstall")] Uninstall,
}

[JsonConverter(typeof(JsonStringEnumConverter<PackageOperationStatus>))]
public enum PackageOperationStatus
{
    [JsonStringEnumMemberName("running")] Running,

    /// <summary>The new set of packages is the cluster's: every silo unpacks it within seconds.</summary>
    [JsonStringEnumMemberName("succeeded")] Succeeded,

    /// <summary>pip failed (or the request did not fit): the installed packages are as they were.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>The silo running it stopped first: the installed packages are as they were.</summary>
    [JsonStringEnumMemberName("interrupted")] Interrupted,
}

/// <summary>One installed distribution: the ones an administrator asked for, and what they depend on.</summary>
[GenerateSerializer, Immutable, Alias("of.PythonPackage")]
public sealed record PythonPackage(string Name, string Version, bool Requested);

/// <summary>An operation without its output: what, by whom, when, how it ended.</summary>
[GenerateSerializer, Immutable, Alias("of.PackageOperationSummary")]
public sealed record PackageOperationSummary(
    string Id, PackageOperationKind Kind, string Target, PackageOperationStatus Status, string Username,
    DateTimeOffset StartTime, DateTimeOffset? EndTime, string? Error, long? Generation);

/// <summary>Output of an operation from a character offset: a console polls with the <see cref="NextOffset"/> it got.</summary>
[GenerateSerializer, Immutable, Alias("of.PackageOperationOutput")]
public sealed record PackageOperationOutput(PackageOperationSummary Operation, string Output, int NextOffset);

/// <summary>The generation of the packages one silo gives its new workers, as it last reported (every few seconds).</summary>
[GenerateSerializer, Immutable, Alias("of.SiloPackages")]
public sealed record SiloPackages(string Host, long Generation);

/// <summary>
/// The packages of the installation: the generation every silo should have unpacked, what is installed (with
/// versions), the index pip reads, the recent operations (the latest first), and which generation each silo has.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.PythonPackagesView")]
public sealed record PythonPackagesView(
    long Generation, IReadOnlyList<PythonPackage> Packages, string IndexUrl, IReadOnlyList<PackageOperationSummary> Operations,
    IReadOnlyList<SiloPackages> Silos);

/// <summary>
/// The Python packages administrators install for scripts (key <see cref="Key"/>). One operation at a time, run by pip
/// in the background on the grain's silo as the workers' user; a success becomes a new generation in PostgreSQL that
/// every silo unpacks and gives to the workers it starts after.
/// </summary>
[Alias("of.python-packages")]
public interface IPythonPackagesGrain : IGrainWithStringKey
{
    const string Key = "all";

    [SafeToRepeat]
    [Alias("get")]
    Task<PythonPackagesView> GetAsync();

    /// <summary>An empty URL means pip's default index.</summary>
    [Alias("set-index-url")]
    Task<PythonPackagesView> SetIndexUrlAsync(string indexUrl);

    /// <summary>Starts installing <paramref name="requirement"/> (<c>name</c> or <c>name==1.2</c>, <c>name&gt;=1,&lt;2</c>, extras).</summary>
    [Alias("install")]
    Task<PackageOperationSummary> InstallAsync(string requirement, Actor by);

    /// <summary>Starts installing the wheel uploaded as <paramref name="uploadId"/> (see the upload store).</summary>
    [Alias("install-wheel")]
    Task<PackageOperationSummary> InstallWheelAsync(long uploadId, string fileName, Actor by);

    [Alias("uninstall")]
    Task<PackageOperationSummary> UninstallAsync(string name, Actor by);

    [SafeToRepeat]
    [Alias("output")]
    Task<PackageOperationOutput> GetOutputAsync(string operationId, int fromOffset);
}
