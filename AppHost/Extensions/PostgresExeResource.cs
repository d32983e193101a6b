using Aspire.Hosting.ApplicationModel;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// A cell's PostgreSQL server run as a plain OS process (no container runtime here), exposing a connection string to
/// the maintenance database like Aspire's own Postgres resource does.
/// </summary>
public sealed class PostgresExeResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    /// <summary>The TCP endpoint DCP allocates (its port reaches the script in PGPORT).</summary>
    public EndpointReference Endpoint => new(this, "tcp");

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username=postgres;Database=postgres");
}
