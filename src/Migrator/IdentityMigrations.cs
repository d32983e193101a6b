using TicketAspire.Identity.Infrastructure;
using TicketAspire.Inventory.Infrastructure;

namespace TicketAspire.Migrator;

/// <summary>
/// The identity service's versioned scripts (<c>Infrastructure/Migrations/1xxx_*.sql</c>), applied by the cell migrator.
/// A reseller database gets all of them (OpenIddict's tables and its end users); the cell catalog gets only OpenIddict's
/// tables, for the platform issuer's staff clients.
/// </summary>
public static class IdentityMigrations
{
    private static readonly IReadOnlyList<Migration> All = SqlMigrator.Load(typeof(IdentityDbContext).Assembly);

    /// <summary>Scripts of a reseller database.</summary>
    public static IReadOnlyList<Migration> Reseller => All;

    /// <summary>Scripts of the catalog database (OpenIddict's tables only).</summary>
    public static IReadOnlyList<Migration> Platform { get; } = [.. All.Where(m => m.Version == 1001)];
}
