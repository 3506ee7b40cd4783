using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// TLS between the members of a cluster (OrleansFunc:Cluster:TlsCertificateFile): members sharing the
/// certificate work together; a peer with another certificate, or none, is refused at the handshake.
/// </summary>
public sealed class ClusterTlsTests
{
    private static string CertificateFile(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(TestPaths.NewTempFolder("tls"), $"{name}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "pfx-password"));
        return path;
    }

    private static Dictionary<string, string> WithTls(TestServer.Settings settings, string certificateFile)
    {
        var environment = settings.ToEnvironment();
        environment["OrleansFunc__Cluster__TlsCertificateFile"] = certificateFile;
        environment["OrleansFunc__Cluster__TlsCertificatePassword"] = "pfx-password";
        return environment;
    }

    /// <summary>Whether a TLS handshake with the port succeeds when presenting <paramref name="certificateFile"/> (or no certificate).</summary>
    private static async Task<bool> HandshakeSucceedsAsync(int port, string? certificateFile)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        var certificates = new X509CertificateCollection();
        if (certificateFile is not null)
        {
            certificates.Add(X509CertificateLoader.LoadPkcs12FromFile(certificateFile, "pfx-password"));
        }
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "member", ClientCertificates = certificates });
            // A server that refuses the client's certificate closes the connection after the handshake (TLS 1.3).
            var buffer = new byte[1];
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var read = await tls.ReadAsync(buffer, wait.Token);
            return read > 0;
        }
        catch (OperationCanceledException)
        {
            return true; // still connected, nothing to say: accepted
        }
        catch (Exception refused) when (refused is IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    [Fact]
    public async Task MembersSharingTheCertificate_FormACluster_AndOthersAreRefusedAtTheHandshake()
    {
        var cluster = CertificateFile("member");
        var stranger = CertificateFile("stranger");
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var clusterId = $"c{Guid.NewGuid():N}";
        var siloSettings = new TestServer.Settings(TestPaths.NewTempFolder("silo"), connectionString, clusterId);
        var webSettings = new TestServer.Settings(TestPaths.NewTempFolder("client"), connectionString, clusterId);
        var webEnvironment = WithTls(webSettings, cluster);
        webEnvironment["OrleansFunc__Cluster__Mode"] = "Client";
        var webStart = TestServer.StartAsync(webSettings, webEnvironment);
        await using var silo = HostProcess.Start(TestPaths.SiloDll, WithTls(siloSettings, cluster));
        await using var web = await webStart;

        var token = await web.SetUpAndSignInAsync();
        (await web.PostAsync("/api/v1/script-sets", new { id = "over_tls" }, token)).AssertOk();
        Assert.Equal("over_tls", (await web.GetAsync("/api/v1/script-sets/over_tls", token)).AssertOk().GetProperty("id").GetString());

        foreach (var port in new[] { siloSettings.GatewayPort, siloSettings.SiloPort })
        {
            Assert.True(await HandshakeSucceedsAsync(port, cluster), $"port {port} does not speak TLS with the cluster's certificate");
            Assert.False(await HandshakeSucceedsAsync(port, stranger), $"port {port} let in another certificate");
            Assert.False(await HandshakeSucceedsAsync(port, null), $"port {port} let in a peer without a certificate");
        }
    }

    [Fact]
    public async Task ADefaultInstall_MakesItsOwnCertificate_AndItsOrleansPortsAdmitOnlyIt()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("data"), await TestPostgres.CreateDatabaseAsync());
        var environment = settings.ToEnvironment();
        environment.Remove("OrleansFunc__Cluster__TlsCertificateFile");
        environment.Remove("OrleansFunc__Cluster__TlsCertificatePassword");
        await using var server = await TestServer.StartAsync(settings, environment);
        var made = Path.Combine(server.DataFolder, "cluster.pfx");
        var copy = Path.Combine(TestPaths.NewTempFolder("tls"), "copy.pfx");
        File.WriteAllBytes(copy, X509CertificateLoader.LoadPkcs12FromFile(made, null).Export(X509ContentType.Pkcs12, "pfx-password"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(made));
        foreach (var port in new[] { settings.GatewayPort, settings.SiloPort })
        {
            Assert.True(await HandshakeSucceedsAsync(port, copy), $"port {port} does not speak TLS with the install's certificate");
            Assert.False(await HandshakeSucceedsAsync(port, CertificateFile("stranger")), $"port {port} let in another certificate");
            Assert.False(await HandshakeSucceedsAsync(port, null), $"port {port} let in a peer without a certificate");
        }
    }
}
