using Aspire.Hosting.ApplicationModel;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// A cell's PostgreSQL server run as a plain OS process (no container runtime here), exposing a connection string to
/// the maintenance database like Aspire's own Postgres resource does: the superuser's, with its password. Only the
/// migrator (and tests) get it; the services log in as each database's own role (<see cref="ResellerDatabaseResource"/>).
/// </summary>
public sealed class PostgresExeResource(string name, string command, string workingDirectory, ParameterResource superuserPassword)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    /// <summary>The TCP endpoint DCP allocates (its port reaches the script in PGPORT).</summary>
    public EndpointReference Endpoint => new(this, "tcp");

    /// <summary>The superuser's password (set by the script at every start).</summary>
    public ParameterResource SuperuserPassword { get; } = superuserPassword;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username=postgres;Password={SuperuserPassword};Database=postgres");
}
