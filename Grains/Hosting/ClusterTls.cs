using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using OrleansFunc.Common;

namespace OrleansFunc.Hosting;

/// <summary>
/// TLS between the silos and clients of a cluster, on by default. Orleans' ports have no sign-in of
/// their own: anything that speaks the protocol to a gateway can call any grain, and scripts run on
/// the same hosts. So every member presents the cluster's one certificate and accepts only a peer
/// presenting that same certificate: holding its key (a file scripts cannot read) is what makes a
/// process a member. No certificate authority is needed; the default one is made on first use.
/// </summary>
public static class ClusterTls
{
    /// <summary>The cluster's certificate, made on first use in the data folder; null when TLS is turned off.</summary>
    public static X509Certificate2? LoadCertificate(OrleansFuncOptions options)
    {
        if (!options.Cluster.Tls)
        {
            return null;
        }
        var content = PrivateFiles.LoadOrCreate(options.ClusterCertificateFile, NewCertificate);
        return X509CertificateLoader.LoadPkcs12(content, options.Cluster.TlsCertificatePassword);
    }

    public static void Configure(TlsOptions tls, X509Certificate2 certificate)
    {
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Pinned: a certificate chained to some trusted authority is not enough, it must be ours.
        tls.RemoteCertificateValidation = (remote, _, _) => remote.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span);
        var hostName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        tls.OnAuthenticateAsClient = (_, client) => client.TargetHost = hostName;
    }

    /// <summary>A self-signed certificate for client and server authentication, as PKCS#12 without a password.</summary>
    internal static byte[] NewCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=orleansfunc-cluster", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
        return certificate.Export(X509ContentType.Pkcs12);
    }
}
