using Microsoft.Extensions.Time.Testing;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Identity.Tests.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Identity.Tests;

/// <summary>
/// The console accounts the cell migrator seeds (a reseller's administrator, the cell's staff) against a real Postgres:
/// created once, the role given to an existing account of the address, the password changed only when the parameter did,
/// and a sign-in that reports the role.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConsoleAccountsShould(PostgresServer postgres)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task BeCreatedOnceAndSignInWithTheirRole()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(BeCreatedOnceAndSignInWithTheirRole));
        const string email = "admin@acme.example";
        Assert.Equal("created", await ConsoleRoles.EnsureAccountAsync(db, email, "Acme administrator", "first-password-1", ConsoleRoles.Admin, _time.GetUtcNow(), default));
        Assert.Equal("unchanged", await ConsoleRoles.EnsureAccountAsync(db, email, "Acme administrator", "first-password-1", ConsoleRoles.Admin, _time.GetUtcNow(), default));

        var users = new UserStore(db, _time);
        var signedIn = await users.LoginAsync(email, "first-password-1", default);
        Assert.Equal(ConsoleRoles.Admin, signedIn.User!.ConsoleRole);

        // a changed parameter changes the password: the old one no longer signs in
        Assert.Equal("updated", await ConsoleRoles.EnsureAccountAsync(db, email, "Acme administrator", "second-password-2", ConsoleRoles.Admin, _time.GetUtcNow(), default));
        Assert.Null((await users.LoginAsync(email, "first-password-1", default)).User);
        Assert.NotNull((await users.LoginAsync(email, "second-password-2", default)).User);
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*)::int FROM users WHERE email_normalized = $1", email));
    }

    [Fact]
    public async Task GiveTheRoleToAnExistingAccountOfTheAddress()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(GiveTheRoleToAnExistingAccountOfTheAddress));
        var registrations = new AccountRegistrations(db, _time);
        var email = $"owner-{Guid.NewGuid():N}@example.com";
        var pending = await registrations.RegisterAsync(email, "buyer-password-1", "Owner", default);
        var buyer = (await registrations.ConfirmAsync(pending.Token, "buyer-password-1", default)).User!;
        Assert.Null(buyer.ConsoleRole);

        Assert.Equal("updated", await ConsoleRoles.EnsureAccountAsync(db, email, "Owner", "buyer-password-1", ConsoleRoles.Admin, _time.GetUtcNow(), default));
        var found = await new UserStore(db, _time).FindAsync(buyer.Id, default);
        Assert.Equal(ConsoleRoles.Admin, found!.ConsoleRole);
    }

    [Theory]
    [InlineData("not-an-address", "long-enough-password", "admin")]
    [InlineData("admin@acme.example", "short", "admin")]
    [InlineData("admin@acme.example", "long-enough-password", "root")]
    public async Task RefuseWhatIsNotAnAccount(string email, string password, string role)
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(RefuseWhatIsNotAnAccount) + role + password.Length);
        await Assert.ThrowsAsync<ArgumentException>(() => ConsoleRoles.EnsureAccountAsync(db, email, "x", password, role, _time.GetUtcNow(), default));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT count(*)::int FROM users"));
    }
}
