namespace OrleansFunc.Hosting;

/// <summary>Bounds of what anonymous callers may send to the public call routes (auth links, batches).</summary>
public sealed class UploadSettings
{
    /// <summary>The largest body of one call (files, form fields or raw body), in MiB.</summary>
    public int MaxCallMb { get; set; } = 32;

    /// <summary>The most the upload folder may hold at once, in MiB; calls past it are refused until files expire.</summary>
    public int FolderLimitMb { get; set; } = 1024;

    public long MaxCallBytes => MaxCallMb * 1024L * 1024;

    public long FolderLimitBytes => FolderLimitMb * 1024L * 1024;
}
