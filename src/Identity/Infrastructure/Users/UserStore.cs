using System.Net.Mail;
using Npgsql;

namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>
/// End-user accounts in one reseller's database: password sign-in behind the per-address <see cref="LoginThrottle"/>
/// (unknown addresses are counted, locked and timed like known ones: a dummy hash is checked for them), and lookups by
/// id. Accounts are made by <see cref="AccountRegistrations"/> once their owner confirmed the address.
/// </summary>
public sealed class UserStore(Func<ValueTask<NpgsqlDataSource>> database, TimeProvider time)
{
    private readonly LoginThrottle _throttle = new(database, time);

    /// <summary>A store over one reseller database.</summary>
    public UserStore(NpgsqlDataSource db, TimeProvider time)
        : this(() => ValueTask.FromResult(db), time)
    {
    }

    /// <summary>Shortest accepted password.</summary>
    public const int MinPasswordLength = 10;

    /// <summary>Checks an e-mail and password: counted (and refused while locked) whether an account has the address or not.</summary>
    public async Task<LoginResult> LoginAsync(string? email, string? password, CancellationToken ct)
    {
        var address = NormalizeEmail(email);
        if (address is null || string.IsNullOrEmpty(password))
        {
            PasswordHasher.VerifyDecoy(password ?? "");
            return LoginResult.Invalid;
        }

        var ticket = await _throttle.TryReserveAsync(address, ct);
        if (!ticket.Allowed)
        {
            return LoginResult.Locked(ticket.LockedUntil!.Value);
        }

        var account = await FindAsync("email_normalized = $1", address, ct);
        if (account is null)
        {
            PasswordHasher.VerifyDecoy(password);
        }

        if (account is null || !PasswordHasher.Verify(account.PasswordHash, password))
        {
            return ticket.LockedUntil is { } until ? LoginResult.Locked(until) : LoginResult.Invalid;
        }

        await _throttle.ClearAsync(address, ct);
        await using var ok = (await database()).CreateCommand("""
            UPDATE users SET last_login_at = $2, password_hash = coalesce($3, password_hash) WHERE id = $1
            """);
        ok.Parameters.Add(new() { Value = account.User.Id });
        ok.Parameters.Add(new() { Value = time.GetUtcNow() });
        ok.Parameters.Add(new() { Value = PasswordHasher.NeedsRehash(account.PasswordHash) ? PasswordHasher.Hash(password) : DBNull.Value });
        await ok.ExecuteNonQueryAsync(ct);
        return LoginResult.Success(account.User);
    }

    /// <summary>
    /// The account with id <paramref name="id"/>, if it exists. A sign-in lock does not hide it: sessions and refresh
    /// tokens outlive a lock that an attacker's guesses started.
    /// </summary>
    public async Task<EndUser?> FindAsync(Guid id, CancellationToken ct) => (await FindAsync("id = $1", id, ct))?.User;

    /// <summary>Forgets stale sign-in counts (<see cref="LoginThrottle.PruneAsync"/>).</summary>
    public Task<int> PruneAsync(CancellationToken ct) => _throttle.PruneAsync(ct);

    /// <summary>Lower-cased address, or null when it is not a plausible e-mail address.</summary>
    public static string? NormalizeEmail(string? email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 254 || !MailAddress.TryCreate(trimmed, out var parsed)
            || !string.Equals(parsed.Address, trimmed, StringComparison.Ordinal) || !parsed.Host.Contains('.', StringComparison.Ordinal) || parsed.Host.EndsWith('.'))
        {
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    private async Task<Account?> FindAsync(string where, object value, CancellationToken ct)
    {
        await using var cmd = (await database()).CreateCommand($"SELECT id, email, display_name, password_hash, console_role FROM users WHERE {where}");
        cmd.Parameters.Add(new() { Value = value });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new Account(
            new EndUser(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(4) ? null : reader.GetString(4)),
            reader.GetString(3));
    }

    private sealed record Account(EndUser User, string PasswordHash);
}

/// <summary>
/// An account of an issuer: an end user of a reseller, possibly one of its administrators (<see cref="ConsoleRoles.Admin"/>),
/// or a staff member of the cell on the platform issuer (<see cref="ConsoleRoles.Support"/>, <see cref="ConsoleRoles.Operator"/>).
/// </summary>
public sealed record EndUser(Guid Id, string Email, string? DisplayName, string? ConsoleRole = null);

/// <summary>Outcome of a login attempt.</summary>
public sealed record LoginResult(EndUser? User, DateTimeOffset? LockedUntil)
{
    /// <summary>Unknown e-mail or wrong password (never said which; both count towards the lock).</summary>
    public static LoginResult Invalid { get; } = new(null, null);

    /// <summary>Too many failures: no login before <paramref name="until"/>.</summary>
    public static LoginResult Locked(DateTimeOffset until) => new(null, until);

    /// <summary>Logged in.</summary>
    public static LoginResult Success(EndUser user) => new(user, null);
}
