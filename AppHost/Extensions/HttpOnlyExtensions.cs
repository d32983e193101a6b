using Aspire.Hosting.ApplicationModel;

namespace TicketAspire.AppHost.Extensions;

/// <summary>Keeps a local run on plain HTTP, without the ASP.NET Core development certificate.</summary>
public static class HttpOnlyExtensions
{
    /// <summary>
    /// Turns off Aspire's HTTPS certificate configuration for every project resource added so far (call it last, before
    /// <c>Build()</c>). Aspire gives each project a callback that would hand it the development certificate; while any
    /// resource has one, the AppHost looks for a trusted development certificate and, on a machine without one (every
    /// fresh Linux machine: <c>dotnet dev-certs https --trust</c> does not trust on Linux), the dashboard opens with the
    /// error "No trusted development certificate". Every endpoint here is <c>http</c>, so nothing needs a certificate.
    /// </summary>
    public static IDistributedApplicationBuilder WithoutDevelopmentCertificates(this IDistributedApplicationBuilder builder)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            if (project.Annotations.OfType<EndpointAnnotation>().Any(e => e.UriScheme is "https"))
            {
                continue; // a project that serves https keeps its certificate
            }

#pragma warning disable ASPIRECERTIFICATES001 // experimental in Aspire 13: the switch the dashboard's certificate check honours
            builder.CreateResourceBuilder(project).WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
        }

        return builder;
    }
}
