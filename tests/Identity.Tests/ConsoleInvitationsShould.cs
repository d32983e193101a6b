using Microsoft.Extensions.Time.Testing;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Identity.Tests.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Identity.Tests;

/// <summary>
/// Invitations to a reseller's console against a real Postgres: a new administrator with the password chosen at the
/// link, an existing account of the address proven by its own password, a link that works once and expires.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConsoleInvitationsShould(PostgresServer postgres)
{
    private static readonly Uri Console = new("http://fabrikam.eu.localhost:5000/console");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task MakeANewAdministratorOnceWithThePasswordChosenAtTheLink()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(MakeANewAdministratorOnceWithThePasswordChosenAtTheLink));
        var invitations = new ConsoleInvitations(db, _time);
        Assert.False(await invitations.HasAdministratorAsync(default));
        var token = await invitations.CreateAsync("Owner@Fabrikam.example", "platform:onboarding", Console, default);
        Assert.True(await invitations.IsPendingAsync("owner@fabrikam.example", default));
        Assert.Equal(new OpenInvitation("Owner@Fabrikam.example", false, Console), await invitations.FindAsync(token, default));

        // a weak password is refused at its field and the link still works
        var weak = await invitations.AcceptAsync(token, "short", "Owner", default);
        Assert.Equal(InvitationError.Invalid, weak.Error);
        Assert.True(weak.Errors!.ContainsKey("password"));

        var accepted = await invitations.AcceptAsync(token, "a-good-long-password", "Owner", default);
        Assert.Equal((ConsoleRoles.Admin, Console), (accepted.User!.ConsoleRole, accepted.ConsoleUrl));
        var signedIn = await new UserStore(db, _time).LoginAsync("owner@fabrikam.example", "a-good-long-password", default);
        Assert.Equal(ConsoleRoles.Admin, signedIn.User!.ConsoleRole);
        Assert.True(await invitations.HasAdministratorAsync(default));

        // once only
        Assert.Null(await invitations.FindAsync(token, default));
        Assert.Equal(InvitationError.LinkInvalid, (await invitations.AcceptAsync(token, "a-good-long-password", "Owner", default)).Error);
        Assert.False(await invitations.IsPendingAsync("owner@fabrikam.example", default));
    }

    [Fact]
    public async Task GiveTheRoleToAnExistingAccountOnlyWithItsPassword()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(GiveTheRoleToAnExistingAccountOnlyWithItsPassword));
        var registrations = new AccountRegistrations(db, _time);
        var email = $"buyer-{Guid.NewGuid():N}@example.com";
        var buyer = (await registrations.ConfirmAsync((await registrations.RegisterAsync(email, "buyer-password-1", "Buyer", default)).Token, "buyer-password-1", default)).User!;
        var invitations = new ConsoleInvitations(db, _time);
        var token = await invitations.CreateAsync(email, "platform:onboarding", Console, default);
        Assert.True((await invitations.FindAsync(token, default))!.HasAccount);

        // the link proves the mailbox, not the account: the account's own password is needed, and its password stays
        Assert.Equal(InvitationError.WrongPassword, (await invitations.AcceptAsync(token, "another-password-2", null, default)).Error);
        var accepted = await invitations.AcceptAsync(token, "buyer-password-1", null, default);
        Assert.Equal(buyer.Id, accepted.User!.Id);
        Assert.Equal(ConsoleRoles.Admin, (await new UserStore(db, _time).FindAsync(buyer.Id, default))!.ConsoleRole);
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*)::int FROM users"));
    }

    [Fact]
    public async Task ExpireAfterAWeek()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(ExpireAfterAWeek));
        var invitations = new ConsoleInvitations(db, _time);
        var token = await invitations.CreateAsync("late@example.com", "platform:onboarding", Console, default);
        _time.Advance(ConsoleInvitations.LinkLifetime + TimeSpan.FromSeconds(1));
        Assert.Null(await invitations.FindAsync(token, default));
        Assert.False(await invitations.IsPendingAsync("late@example.com", default));
        Assert.Equal(InvitationError.LinkInvalid, (await invitations.AcceptAsync(token, "a-good-long-password", null, default)).Error);
        Assert.Equal(InvitationError.LinkInvalid, (await invitations.AcceptAsync("not-a-token", "a-good-long-password", null, default)).Error);
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT count(*)::int FROM users"));
    }
}
