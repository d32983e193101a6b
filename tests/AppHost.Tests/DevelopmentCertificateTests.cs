#pragma warning disable ASPIRECERTIFICATES001 // the certificate annotations are experimental in Aspire 13

using Aspire.Hosting.ApplicationModel;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The dashboard shows "No trusted development certificate" when any resource uses TLS: an https endpoint, or Aspire's
/// HTTPS certificate callback (every project gets one) not turned off with <c>WithoutHttpsCertificate()</c>; the rule of
/// Aspire's DCP host (<c>DcpHost.ResourceUsesTls</c>). The AppHost's model (not started) must give it no such resource.
/// </summary>
public sealed class DevelopmentCertificateTests
{
    [Fact]
    public async Task No_resource_asks_for_the_development_certificate()
    {
        var dataDir = Directory.CreateTempSubdirectory("ta-certs-").FullName;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([$"TicketAspire:DataDir={dataDir}"], cts.Token);
            var projects = builder.Resources.OfType<ProjectResource>().ToList();
            Assert.Contains(projects, p => p.Name == "eu-api");
            var usingTls = projects
                .Where(p => p.Annotations.OfType<EndpointAnnotation>().Any(e => e.UriScheme == "https")
                            || (p.Annotations.OfType<HttpsCertificateConfigurationCallbackAnnotation>().Any()
                                && !(p.TryGetLastAnnotation<HttpsCertificateAnnotation>(out var cert) && cert.UseDeveloperCertificate is false or null && cert.Certificate is null)))
                .Select(p => p.Name)
                .ToList();
            Assert.Empty(usingTls);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
