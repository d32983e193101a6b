using Microsoft.EntityFrameworkCore;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// OpenIddict's applications, authorizations, scopes and tokens. One model, one physical database per reseller: the
/// connection is chosen per request from the resolved reseller, so nothing of one reseller is stored beside another's.
/// The tables are created by versioned SQL scripts (<c>Infrastructure/Migrations/1xxx_*.sql</c>) that the cell migrator
/// applies, not by EF migrations.
/// </summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.UseOpenIddict();
    }
}
