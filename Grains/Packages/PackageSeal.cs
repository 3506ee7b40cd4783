using System.Buffers.Binary;
using System.Security.Cryptography;
using OrleansFunc.Errors;

namespace OrleansFunc.Packages;

/// <summary>
/// A package sealed with a password: AES-256-GCM under a key derived by PBKDF2-SHA512 with a random
/// salt. Layout: magic, format version, KDF id, iterations, salt, nonce, tag, ciphertext; the header
/// is authenticated too, so no byte of the file can change unnoticed.
/// </summary>
public static class PackageSeal
{
    private const byte FormatVersion = 1;
    private const byte KdfPbkdf2Sha512 = 1;
    private const int Iterations = 210_000;

    // The rounds a package may ask for, around what Seal writes: the header is read before the password
    // is checked, so it must not be able to make the server derive a key for seconds (or too weak a key).
    private const int MinIterations = Iterations / 2;
    private const int MaxIterations = Iterations * 2;
    private const int SaltLength = 16;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static ReadOnlySpan<byte> Magic => "OFPKG-SEALED"u8;
    private static int HeaderLength => Magic.Length + 2 + 4 + SaltLength + NonceLength;

    public static bool IsSealed(ReadOnlySpan<byte> file) => file.StartsWith(Magic);

    /// <summary>A new password: 20 case-sensitive letters and digits, shown once and never stored.</summary>
    public static string NewPassword() =>
        string.Concat(RandomNumberGenerator.GetItems<char>("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20));

    public static byte[] Seal(byte[] plain, string password)
    {
        var sealedFile = new byte[HeaderLength + TagLength + plain.Length];
        var header = sealedFile.AsSpan(0, HeaderLength);
        Magic.CopyTo(header);
        header[Magic.Length] = FormatVersion;
        header[Magic.Length + 1] = KdfPbkdf2Sha512;
        BinaryPrimitives.WriteInt32BigEndian(header[(Magic.Length + 2)..], Iterations);
        var salt = header.Slice(Magic.Length + 6, SaltLength);
        var nonce = header.Slice(Magic.Length + 6 + SaltLength, NonceLength);
        RandomNumberGenerator.Fill(salt);
        RandomNumberGenerator.Fill(nonce);
        using var cipher = new AesGcm(DeriveKey(password, salt, Iterations), TagLength);
        cipher.Encrypt(nonce, plain, sealedFile.AsSpan(HeaderLength + TagLength), sealedFile.AsSpan(HeaderLength, TagLength), header);
        return sealedFile;
    }

    /// <summary>The package inside; 403.21 for a wrong password or a changed byte, 400.43 for a file too short or of an unknown version.</summary>
    public static byte[] Open(byte[] file, string? password)
    {
        if (file.Length < HeaderLength + TagLength)
        {
            throw DffException.BadRequest("DamagedPackage", "The package file is truncated");
        }
        var header = file.AsSpan(0, HeaderLength);
        var iterations = BinaryPrimitives.ReadInt32BigEndian(header[(Magic.Length + 2)..]);
        if (header[Magic.Length] != FormatVersion || header[Magic.Length + 1] != KdfPbkdf2Sha512)
        {
            throw DffException.BadRequest("UnknownPackageFormat", "The package was sealed in a format this server does not know");
        }
        if (iterations is < MinIterations or > MaxIterations)
        {
            throw DffException.BadRequest("KeyDerivationOutOfRange",
                FormattableString.Invariant($"The package asks for {iterations} key derivation rounds; this server accepts {MinIterations} to {MaxIterations} (it writes {Iterations}); nothing was imported"),
                new { rounds = iterations, minRounds = MinIterations, maxRounds = MaxIterations });
        }
        if (string.IsNullOrEmpty(password))
        {
            throw DffException.Condition("PasswordRequired", "This package is protected by a password; send it as 'password'");
        }
        var plain = new byte[file.Length - HeaderLength - TagLength];
        try
        {
            using var cipher = new AesGcm(DeriveKey(password, header.Slice(Magic.Length + 6, SaltLength), iterations), TagLength);
            cipher.Decrypt(header.Slice(Magic.Length + 6 + SaltLength, NonceLength), file.AsSpan(HeaderLength + TagLength),
                file.AsSpan(HeaderLength, TagLength), plain, header);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw DffException.Condition("InvalidPassword", "Wrong password, or the package file was changed");
        }
        return plain;
    }

    private static byte[] DeriveKey(string password, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(System.Text.Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, 32);
}
