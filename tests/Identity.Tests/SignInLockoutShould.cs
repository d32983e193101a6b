using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Identity.Tests.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Identity.Tests;

/// <summary>
/// Sign-in throttling against a real Postgres: the check and the count are one statement (a parallel burst gets exactly
/// the free attempts evaluated), unknown addresses are counted and answered like known ones, and a lock ends no session.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SignInLockoutShould(PostgresServer postgres)
{
    private const string Password = "the-right-password-1";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private async Task<(NpgsqlDataSource Db, UserStore Users, EndUser User)> AccountAsync(string test)
    {
        var db = await postgres.CreateResellerDatabaseAsync(test);
        var registrations = new AccountRegistrations(db, _time);
        var email = $"ann-{Guid.NewGuid():N}@example.com";
        var pending = await registrations.RegisterAsync(email, Password, null, CancellationToken.None);
        var user = (await registrations.ConfirmAsync(pending.Token, Password, CancellationToken.None)).User!;
        return (db, new UserStore(db, _time), user);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EvaluateExactlyTheFreeAttemptsOfAParallelBurst(bool known)
    {
        var (db, users, user) = await AccountAsync(nameof(EvaluateExactlyTheFreeAttemptsOfAParallelBurst) + known);
        await using var _ = db;
        var email = known ? user.Email : $"nobody-{Guid.NewGuid():N}@example.com";

        // 20 wrong passwords at once: only 5 may be checked, the 5th of them locks, the other 15 are refused unchecked
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => users.LoginAsync(email, $"guess-{i}-of-twenty", CancellationToken.None))));

        Assert.Equal(4, results.Count(r => r == LoginResult.Invalid));
        Assert.Equal(16, results.Count(r => r.LockedUntil is not null));
        Assert.Equal(5, await db.ScalarAsync<int>("SELECT failures FROM login_throttle WHERE email_normalized = $1", email));
    }

    [Fact]
    public async Task AnswerAndLockAnUnknownAddressExactlyLikeAKnownOne()
    {
        var (db, users, user) = await AccountAsync(nameof(AnswerAndLockAnUnknownAddressExactlyLikeAKnownOne));
        await using var _ = db;
        var answers = new Dictionary<string, List<string>>();
        foreach (var email in new[] { user.Email, $"nobody-{Guid.NewGuid():N}@example.com" })
        {
            answers[email] = [];
            for (var i = 0; i < 7; i++)
            {
                var result = await users.LoginAsync(email, $"guess-{i}", CancellationToken.None);
                answers[email].Add(result.LockedUntil is { } until ? $"locked {(until - _time.GetUtcNow()).TotalSeconds:0}s" : result.User is null ? "invalid" : "in");
            }
        }

        var (knownAnswers, unknownAnswers) = (answers.Values.First(), answers.Values.Last());
        Assert.Equal(["invalid", "invalid", "invalid", "invalid", "locked 60s", "locked 60s", "locked 60s"], unknownAnswers);
        Assert.Equal(knownAnswers, unknownAnswers);
    }

    [Fact]
    public async Task RefuseEvenTheRightPasswordWhileLockedThenDoubleTheNextLock()
    {
        var (db, users, user) = await AccountAsync(nameof(RefuseEvenTheRightPasswordWhileLockedThenDoubleTheNextLock));
        await using var _ = db;
        for (var i = 0; i < 5; i++)
        {
            await users.LoginAsync(user.Email, "wrong-password-" + i, CancellationToken.None);
        }

        Assert.NotNull((await users.LoginAsync(user.Email, Password, CancellationToken.None)).LockedUntil);
        _time.Advance(TimeSpan.FromSeconds(61));
        var sixth = await users.LoginAsync(user.Email, "wrong-again", CancellationToken.None);
        Assert.Equal(_time.GetUtcNow().AddMinutes(2), sixth.LockedUntil);

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(user.Id, (await users.LoginAsync(user.Email.ToUpperInvariant(), Password, CancellationToken.None)).User?.Id);
        // a success starts over: four more failures are answered, not locked
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(LoginResult.Invalid, await users.LoginAsync(user.Email, "wrong-" + i, CancellationToken.None));
        }
    }

    [Fact]
    public async Task KeepTheAccountVisibleToSessionsWhileSignInsAreLocked()
    {
        var (db, users, user) = await AccountAsync(nameof(KeepTheAccountVisibleToSessionsWhileSignInsAreLocked));
        await using var _ = db;
        for (var i = 0; i < 6; i++)
        {
            await users.LoginAsync(user.Email, "attacker-guess-" + i, CancellationToken.None);
        }

        // what the authorize endpoint (session cookie) and the token endpoint (refresh token) look the user up with
        Assert.Equal(user, await users.FindAsync(user.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ForgetCountsUntouchedForADay()
    {
        var (db, users, _) = await AccountAsync(nameof(ForgetCountsUntouchedForADay));
        await using var __ = db;
        await users.LoginAsync("stale@example.com", "wrong-password", CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            await users.LoginAsync("locked@example.com", "wrong-password", CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await users.LoginAsync("fresh@example.com", "wrong-password", CancellationToken.None);
        Assert.Equal(2, await users.PruneAsync(CancellationToken.None));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM login_throttle"));
    }
}
