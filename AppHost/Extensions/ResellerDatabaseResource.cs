using Aspire.Hosting.ApplicationModel;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// One database on a cell's Postgres server (a reseller's, or the cell catalog), shown under its server in the dashboard
/// with its own connection string and health (reachable and migrated).
/// </summary>
public sealed class ResellerDatabaseResource(string name, string databaseName, PostgresExeResource server)
    : Resource(name), IResourceWithParent<PostgresExeResource>, IResourceWithConnectionString
{
    /// <summary>The database's name on the server.</summary>
    public string DatabaseName { get; } = databaseName;

    /// <inheritdoc />
    public PostgresExeResource Parent { get; } = server;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Parent.Endpoint.Property(EndpointProperty.Host)};Port={Parent.Endpoint.Property(EndpointProperty.Port)};Username=postgres;Database={DatabaseName}");
}
