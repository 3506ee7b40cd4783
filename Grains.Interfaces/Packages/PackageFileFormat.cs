using System.Text.Json.Serialization;

namespace OrleansFunc.Packages;

/// <summary>The file an export writes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PackageFileFormat>))]
public enum PackageFileFormat
{
    /// <summary>Ours: a zip with a metadata file and one <c>.py</c> per script, sealed when a password is asked for.</summary>
    [JsonStringEnumMemberName("orleansfunc")] OrleansFunc,

    /// <summary>DataFlux Func 1.x's <c>.func-pkg</c>, for a team going back (always encrypted; the password may be empty).</summary>
    [JsonStringEnumMemberName("dataflux-func-1")] DataFluxFunc1,
}
