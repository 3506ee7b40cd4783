namespace OrleansFunc.Common;

/// <summary>Files of private material (keys, certificates) made once, readable by the server's user alone.</summary>
public static class PrivateFiles
{
    /// <summary>
    /// The content of <paramref name="path"/>, made by <paramref name="create"/> (mode 600) if the file
    /// does not exist. Written aside, then moved into place: another host on this folder never reads half
    /// a file, and when two make it at once, both use the one that landed first.
    /// </summary>
    public static byte[] LoadOrCreate(string path, Func<byte[]> create)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var pending = $"{path}.{Guid.NewGuid():N}.tmp";
            using (var created = new FileStream(pending, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                created.Write(create());
            }
            try
            {
                File.Move(pending, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(pending);
            }
        }
        return File.ReadAllBytes(path);
    }
}
