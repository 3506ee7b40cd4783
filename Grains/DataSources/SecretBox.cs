using System.Security.Cryptography;
using System.Text;
using OrleansFunc.Common;
using OrleansFunc.Hosting;

namespace OrleansFunc.DataSources;

/// <summary>
/// Encrypts data source secrets with AES-256-GCM: a random nonce per value, and the place of the
/// value (source ID and field) as associated data, so a ciphertext copied elsewhere does not open.
/// The key lives in a file outside the database, created with mode 600 on first use.
/// </summary>
public sealed class SecretBox(OrleansFuncOptions options)
{
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Lazy<byte[]> _key = new(() => LoadOrCreateKey(options.SecretKeyFile));

    /// <summary>base64(nonce | ciphertext | tag).</summary>
    public string Encrypt(string plain, string place)
    {
        var plainBytes = Encoding.UTF8.GetBytes(plain);
        var sealedBytes = new byte[NonceSize + plainBytes.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Value, TagSize);
        aes.Encrypt(nonce, plainBytes, sealedBytes.AsSpan(NonceSize, plainBytes.Length), sealedBytes.AsSpan(NonceSize + plainBytes.Length), Encoding.UTF8.GetBytes(place));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The plain text; throws when the value was sealed under another key or place.</summary>
    public string Decrypt(string sealedText, string place)
    {
        var sealedBytes = Convert.FromBase64String(sealedText);
        var length = sealedBytes.Length - NonceSize - TagSize;
        var plainBytes = new byte[length];
        using var aes = new AesGcm(_key.Value, TagSize);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length), plainBytes, Encoding.UTF8.GetBytes(place));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new InvalidOperationException(
                $"A stored secret ({place}) does not open with the key in {options.SecretKeyFile}: the key file was replaced or differs between silos", e);
        }
        return Encoding.UTF8.GetString(plainBytes);
    }

    private static byte[] LoadOrCreateKey(string path)
    {
        var key = PrivateFiles.LoadOrCreate(path, () => RandomNumberGenerator.GetBytes(KeySize));
        return key.Length == KeySize
            ? key
            : throw new InvalidOperationException($"The secret key file {path} must hold exactly {KeySize} bytes, not {key.Length}");
    }
}
