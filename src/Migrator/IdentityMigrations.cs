using TicketAspire.Identity.Infrastructure;
using TicketAspire.Inventory.Infrastructure;

namespace TicketAspire.Migrator;

/// <summary>
/// The identity service's versioned scripts (<c>Infrastructure/Migrations/1xxx_*.sql</c>), applied by the cell migrator.
/// Both a reseller database (OpenIddict's tables, its end users and administrators) and the cell catalog (the platform
/// issuer's staff clients and staff accounts) get all of them.
/// </summary>
public static class IdentityMigrations
{
    private static readonly IReadOnlyList<Migration> All = SqlMigrator.Load(typeof(IdentityDbContext).Assembly);

    /// <summary>Scripts of a reseller database.</summary>
    public static IReadOnlyList<Migration> Reseller => All;

    /// <summary>Scripts of the catalog database (the platform issuer's: its accounts are the cell's staff).</summary>
    public static IReadOnlyList<Migration> Platform => All;
}
