namespace OrleansFunc.PythonPackages;

/// <summary>
/// The installed packages a silo gives the workers it starts: a generation and its unpacked folder (none before the
/// first install). A worker of an older generation is replaced after its run.
/// </summary>
public sealed record PackageFolder(long Generation, string? Path)
{
    public static readonly PackageFolder None = new(0, null);
}
