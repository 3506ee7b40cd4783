using System.Text.Json.Serialization;

namespace OrleansFunc.Common;

/// <summary>
/// The kinds of thing an operation record or an import names (<c>entityType</c>), by the names
/// DataFlux Func uses; <see cref="WireNames{TEnum}"/> gives each one's name.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<EntityType>))]
public enum EntityType
{
    [JsonStringEnumMemberName("scriptSet")] ScriptSet,
    [JsonStringEnumMemberName("script")] Script,
    [JsonStringEnumMemberName("scriptPackage")] ScriptPackage,
    [JsonStringEnumMemberName("restorePoint")] RestorePoint,
    [JsonStringEnumMemberName("authLink")] AuthLink,
    [JsonStringEnumMemberName("crontabConfig")] CrontabConfig,
    [JsonStringEnumMemberName("batch")] Batch,
    [JsonStringEnumMemberName("dataSource")] DataSource,
    [JsonStringEnumMemberName("envVariable")] EnvVariable,
    [JsonStringEnumMemberName("apiAuth")] ApiAuth,

    /// <summary>A file or folder of the resource folder (the file manager).</summary>
    [JsonStringEnumMemberName("resource")] Resource,
    [JsonStringEnumMemberName("user")] User,
    [JsonStringEnumMemberName("accessKey")] AccessKey,

    /// <summary>The caches of the installation (the settings' "clear caches").</summary>
    [JsonStringEnumMemberName("cache")] Cache,

    /// <summary>A key of <c>DFF.CACHE</c> (the func cache manager).</summary>
    [JsonStringEnumMemberName("funcCache")] FuncCache,

    /// <summary>An entry of <c>DFF.STORE</c> (the func store manager).</summary>
    [JsonStringEnumMemberName("funcStore")] FuncStore,

    [JsonStringEnumMemberName("experimentalFeature")] ExperimentalFeature,

    /// <summary>The Python packages installed for scripts (an install, an uninstall, the index URL).</summary>
    [JsonStringEnumMemberName("pythonPackage")] PythonPackage,

    /// <summary>The installation's settings (its error handler).</summary>
    [JsonStringEnumMemberName("installationSettings")] InstallationSettings,
}

public static class EntityTypes
{
    public static string WireName(this EntityType type) => WireNames<EntityType>.Of(type);
}
