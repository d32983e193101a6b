using Microsoft.Extensions.Time.Testing;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Identity.Tests.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Identity.Tests;

/// <summary>Registration by e-mail confirmation against a real Postgres: nothing tells whether an address has an account.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RegistrationShould(PostgresServer postgres)
{
    private const string Password = "correct-horse-battery";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task NotTellWhetherAnAddressHasAnAccount()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(NotTellWhetherAnAddressHasAnAccount));
        var registrations = new AccountRegistrations(db, _time);
        var email = $"bea-{Guid.NewGuid():N}@example.com";
        var first = await registrations.RegisterAsync(email, Password, "Bea", CancellationToken.None);
        await registrations.ConfirmAsync(first.Token, Password, CancellationToken.None);

        var again = await registrations.RegisterAsync(email.ToUpperInvariant(), "another-password-9", null, CancellationToken.None);
        var fresh = await registrations.RegisterAsync($"new-{email}", "another-password-9", null, CancellationToken.None);

        // neither is an error the form would show: the caller answers both alike and e-mails the address
        Assert.Null(again.Errors);
        Assert.Null(fresh.Errors);
        Assert.Null(again.Token);
        Assert.Equal(email, again.Email);
        Assert.NotNull(fresh.Token);
        // and the account is untouched: its password is still the owner's
        Assert.NotNull((await new UserStore(db, _time).LoginAsync(email, Password, CancellationToken.None)).User);
    }

    [Fact]
    public async Task MakeTheAccountOnlyWithTheLinkAndThePasswordChosen()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(MakeTheAccountOnlyWithTheLinkAndThePasswordChosen));
        var registrations = new AccountRegistrations(db, _time);
        var users = new UserStore(db, _time);
        var email = $"cem-{Guid.NewGuid():N}@example.com";
        var pending = await registrations.RegisterAsync(email, Password, null, CancellationToken.None);

        // not an account before the link is followed: signing in is answered like any unknown address
        Assert.Equal(LoginResult.Invalid, await users.LoginAsync(email, Password, CancellationToken.None));
        Assert.Equal(ConfirmationError.LinkInvalid, (await registrations.ConfirmAsync("not-the-token", Password, CancellationToken.None)).Error);
        Assert.Equal(ConfirmationError.WrongPassword, (await registrations.ConfirmAsync(pending.Token, "not-my-password", CancellationToken.None)).Error);

        var done = await registrations.ConfirmAsync(pending.Token, Password, CancellationToken.None);
        Assert.Equal(email, done.User!.Email);
        Assert.Equal(ConfirmationError.LinkInvalid, (await registrations.ConfirmAsync(pending.Token, Password, CancellationToken.None)).Error);
        Assert.Equal(done.User.Id, (await users.LoginAsync(email, Password, CancellationToken.None)).User?.Id);
    }

    [Fact]
    public async Task LetTheOwnersRegistrationWinOverAStrangersForTheSameAddress()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(LetTheOwnersRegistrationWinOverAStrangersForTheSameAddress));
        var registrations = new AccountRegistrations(db, _time);
        var email = $"dan-{Guid.NewGuid():N}@example.com";
        var stranger = await registrations.RegisterAsync(email, "stranger-password-1", null, CancellationToken.None);
        var owner = await registrations.RegisterAsync(email, Password, null, CancellationToken.None);

        // the owner follows their own link; the stranger's link (in the owner's mailbox) is spent with it
        Assert.NotNull((await registrations.ConfirmAsync(owner.Token, Password, CancellationToken.None)).User);
        Assert.Equal(ConfirmationError.LinkInvalid, (await registrations.ConfirmAsync(stranger.Token, "stranger-password-1", CancellationToken.None)).Error);
        Assert.Equal(LoginResult.Invalid, await new UserStore(db, _time).LoginAsync(email, "stranger-password-1", CancellationToken.None));
    }

    [Fact]
    public async Task MakeOneAccountWhenTwoLinksOfAnAddressAreFollowedAtOnce()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(MakeOneAccountWhenTwoLinksOfAnAddressAreFollowedAtOnce));
        var registrations = new AccountRegistrations(db, _time);
        var email = $"eve-{Guid.NewGuid():N}@example.com";
        var links = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => registrations.RegisterAsync(email, Password, null, CancellationToken.None)));

        var results = await Task.WhenAll(links.Select(l => Task.Run(() => registrations.ConfirmAsync(l.Token, Password, CancellationToken.None))));

        Assert.Single(results, r => r.User is not null);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM users WHERE email_normalized = $1", email));
    }

    [Fact]
    public async Task ExpireLinksAfterADay()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(ExpireLinksAfterADay));
        var registrations = new AccountRegistrations(db, _time);
        var pending = await registrations.RegisterAsync($"fay-{Guid.NewGuid():N}@example.com", Password, null, CancellationToken.None);

        _time.Advance(AccountRegistrations.LinkLifetime);
        Assert.Equal(ConfirmationError.LinkInvalid, (await registrations.ConfirmAsync(pending.Token, Password, CancellationToken.None)).Error);
        Assert.Equal(1, await registrations.PruneAsync(CancellationToken.None));
    }
}
