using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// Issue 17 item 21: a package cannot make the server unpack without bound or derive keys without
/// bound. Runs on a server of its own, so that its peak memory is this class's alone.
/// </summary>
public sealed class PackageLimitsTests(SharedServerFixture fixture) : IClassFixture<SharedServerFixture>
{
    /// <summary>Far below the 2.4 GB a 300 MB bomb took, far above what an idle server holds.</summary>
    private const long PeakMemoryBound = 1024L * 1024 * 1024;

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task LegacyPackage_ThatUnpacksTo300MB_IsRefusedNamingTheLimit_AndMemoryStaysBounded()
    {
        var bomb = LegacyPackage(Deflated("dataflux-func.json", "{\"note\":\"bomb\"}"u8.ToArray(), 300L * 1024 * 1024), "bomb-pass");
        Assert.True(bomb.Length < 1024 * 1024, $"the bomb is {bomb.Length} bytes");

        var refused = (await ImportAsync(bomb, "bomb-pass")).AssertError(400.43, "EClientBadRequest.PackageTooLarge");

        Assert.Contains("64 MB", refused.Message);
        Assert.True(PeakMemoryBytes() < PeakMemoryBound, $"the server's memory peaked at {PeakMemoryBytes() / 1024 / 1024} MB");
    }

    [Fact]
    public async Task Package_ThatUnpacksTo190MB_IsRefusedNamingTheLimit_AndMemoryStaysBounded()
    {
        var bomb = Deflated("orleansfunc-package.json", "{\"format\":\"orleansfunc-package\",\"version\":1,\"note\":\"\",\"scriptSets\":[]}"u8.ToArray(),
            190L * 1024 * 1024);
        Assert.True(bomb.Length < 1024 * 1024, $"the bomb is {bomb.Length} bytes");

        var refused = (await ImportAsync(bomb, null)).AssertError(400.43, "EClientBadRequest.PackageTooLarge");

        Assert.Contains("64 MB", refused.Message);
        Assert.True(PeakMemoryBytes() < PeakMemoryBound, $"the server's memory peaked at {PeakMemoryBytes() / 1024 / 1024} MB");
    }

    [Fact]
    public async Task Package_WithTooManyEntries_IsRefusedNamingTheLimit()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i <= 20_000; i++)
            {
                zip.CreateEntry($"e{i}", CompressionLevel.NoCompression).Open().Dispose();
            }
        }

        var refused = (await ImportAsync(buffer.ToArray(), null)).AssertError(400.43, "EClientBadRequest.PackageTooLarge");

        Assert.Contains("20000 entries", refused.Message);
    }

    [Theory]
    [InlineData(10_000_000)]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    public async Task SealedPackage_AskingForRoundsOutsideTheExportersRange_IsRefusedBeforeDeriving(int rounds)
    {
        var header = new byte[12 + 2 + 4 + 16 + 12 + 16 + 64];
        "OFPKG-SEALED"u8.CopyTo(header);
        header[12] = 1;
        header[13] = 1;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(14), rounds);
        RandomNumberGenerator.Fill(header.AsSpan(18));

        var refused = (await ImportAsync(header, "any-password")).AssertError(400.43, "EClientBadRequest.KeyDerivationOutOfRange");

        Assert.Contains("105000", refused.Message);
        Assert.Contains("420000", refused.Message);
    }

    private Task<ApiResponse> ImportAsync(byte[] file, string? password) =>
        Server.PostAsync("/api/v1/script-packages/import", new { file = Convert.ToBase64String(file), password }, fixture.AdminToken);

    /// <summary>The server's peak resident memory (VmHWM).</summary>
    private long PeakMemoryBytes()
    {
        var line = File.ReadLines($"/proc/{Server.Process.Id}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
    }

    /// <summary>A zip of one deflated entry: <paramref name="start"/> followed by spaces up to <paramref name="unpackedLength"/> bytes (valid JSON, so only a limit can refuse it).</summary>
    private static byte[] Deflated(string name, byte[] start, long unpackedLength)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open())
        {
            entry.Write(start);
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (var left = unpackedLength - start.Length; left > 0; left -= spaces.Length)
            {
                entry.Write(spaces.AsSpan(0, (int)Math.Min(left, spaces.Length)));
            }
        }
        return buffer.ToArray();
    }

    /// <summary>A DataFlux Func 1.x package around <paramref name="zip"/> (reference section 6.5).</summary>
    private static byte[] LegacyPackage(byte[] zip, string password)
    {
        var plain = Convert.ToBase64String(zip);
        plain = plain.PadRight((plain.Length / 16 + 1) * 16);
        using var aes = Aes.Create();
        aes.Key = Encoding.UTF8.GetBytes(password.PadRight(32));
        return Encoding.ASCII.GetBytes(Convert.ToBase64String(aes.EncryptCbc(Encoding.ASCII.GetBytes(plain), new byte[16], PaddingMode.None)));
    }
}
