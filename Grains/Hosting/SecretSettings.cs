namespace OrleansFunc.Hosting;

/// <summary>Where the key that encrypts data source secrets is kept (outside the database).</summary>
public sealed class SecretSettings
{
    /// <summary>
    /// A file holding the 256-bit key, created (mode 600) on first use; empty means
    /// <c>secret.key</c> in the data folder. Every silo of a cluster needs the same file.
    /// </summary>
    public string? KeyFile { get; set; }
}
