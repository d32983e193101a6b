namespace TicketAspire.Inventory.Tests.Infrastructure;

/// <summary>
/// Test classes that need Postgres share one server per run; each test creates its own database on it, so tests stay
/// independent while the server starts once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresServer>
{
    /// <summary>Collection name.</summary>
    public const string Name = "Postgres";
}
