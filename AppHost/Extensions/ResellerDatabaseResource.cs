using Aspire.Hosting.ApplicationModel;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// One database on a cell's Postgres server (a reseller's, or the cell catalog), shown under its server in the dashboard
/// with its own connection string and health (reachable and migrated). The connection string logs in as the database's
/// own role (named like the database), which can open this database and no other.
/// </summary>
public sealed class ResellerDatabaseResource(string name, string databaseName, PostgresExeResource server, ParameterResource password)
    : Resource(name), IResourceWithParent<PostgresExeResource>, IResourceWithConnectionString
{
    /// <summary>The database's name on the server (and of its login role).</summary>
    public string DatabaseName { get; } = databaseName;

    /// <summary>The password of the database's login role.</summary>
    public ParameterResource Password { get; } = password;

    /// <inheritdoc />
    public PostgresExeResource Parent { get; } = server;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Parent.Endpoint.Property(EndpointProperty.Host)};Port={Parent.Endpoint.Property(EndpointProperty.Port)};Username={DatabaseName};Password={Password};Database={DatabaseName}");
}
