using TicketAspire.Inventory.Infrastructure;

namespace TicketAspire.Webhooks.Infrastructure;

/// <summary>
/// The webhook and mail scripts of a reseller database (<c>Infrastructure/Migrations/000N_*.sql</c>), versions after the
/// inventory's in the same <c>schema_migrations</c> table.
/// </summary>
public static class WebhookMigrations
{
    /// <summary>The scripts, ordered by version.</summary>
    public static IReadOnlyList<Migration> All { get; } = SqlMigrator.Load(typeof(WebhookMigrations).Assembly);
}
