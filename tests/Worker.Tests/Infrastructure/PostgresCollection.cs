using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Worker.Tests.Infrastructure;

/// <summary>One real Postgres server for the run (the inventory tests' <see cref="PostgresServer"/>); databases per test.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}
