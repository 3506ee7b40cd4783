namespace OrleansFunc.Library;

/// <summary>How a restore point came to be (<see cref="RestorePointInfo.Kind"/>); each kind keeps its own newest points.</summary>
public static class RestorePointKinds
{
    /// <summary>Made by an administrator, with a note.</summary>
    public const string Manual = "manual";

    /// <summary>The library as it was before a restore.</summary>
    public const string BeforeRestore = "beforeRestore";

    /// <summary>The library as it was before a package import.</summary>
    public const string BeforeImport = "beforeImport";

    /// <summary>The library just after a script was published (SPEC M6).</summary>
    public const string Publish = "publish";
}
