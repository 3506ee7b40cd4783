using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace OrleansFunc.Hosting;

/// <summary>
/// TLS between the silos and clients of a cluster (a LAN is not a trusted network: grain calls carry
/// scripts, kwargs and data source secrets). Every member presents the one certificate the operator
/// gave them all and accepts only a peer presenting that same certificate: holding its key is what
/// makes a process a member. No certificate authority is needed, so a self-signed one does.
/// </summary>
public static class ClusterTls
{
    /// <summary>The cluster's certificate, or null when TLS is not configured.</summary>
    public static X509Certificate2? LoadCertificate(ClusterSettings cluster) =>
        string.IsNullOrEmpty(cluster.TlsCertificateFile)
            ? null
            : X509CertificateLoader.LoadPkcs12FromFile(cluster.TlsCertificateFile, cluster.TlsCertificatePassword);

    public static void Configure(TlsOptions tls, X509Certificate2 certificate)
    {
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Pinned: a certificate chained to some trusted authority is not enough, it must be ours.
        tls.RemoteCertificateValidation = (remote, _, _) => remote.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span);
        var hostName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        tls.OnAuthenticateAsClient = (_, client) => client.TargetHost = hostName;
    }
}
