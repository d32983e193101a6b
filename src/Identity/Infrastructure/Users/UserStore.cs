using System.Net.Mail;
using Npgsql;

namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>
/// End-user accounts in one reseller's database: registration, password login with brute-force throttling (after
/// <see cref="FreeFailures"/> consecutive failures the account is locked for a minute, doubling per further failure up to
/// 15 minutes; a locked account is not even checked, so guessing gets no answer while it lasts).
/// </summary>
public sealed class UserStore(Func<ValueTask<NpgsqlDataSource>> database, TimeProvider time)
{
    /// <summary>A store over one reseller database.</summary>
    public UserStore(NpgsqlDataSource db, TimeProvider time)
        : this(() => ValueTask.FromResult(db), time)
    {
    }

    /// <summary>Consecutive failures allowed before the account locks.</summary>
    public const int FreeFailures = 5;

    /// <summary>Shortest accepted password.</summary>
    public const int MinPasswordLength = 10;

    /// <summary>Creates an account; the e-mail address is unique per reseller (case-insensitive).</summary>
    public async Task<RegistrationResult> RegisterAsync(string? email, string? password, string? displayName, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var address = NormalizeEmail(email);
        if (address is null) { errors["email"] = "A valid e-mail address, at most 254 characters."; }
        if (password is null || password.Length < MinPasswordLength || password.Length > 128)
        {
            errors["password"] = $"{MinPasswordLength} to 128 characters.";
        }
        else if (address is not null && password.Contains(address.Split('@')[0], StringComparison.OrdinalIgnoreCase) && address.Split('@')[0].Length >= 4)
        {
            errors["password"] = "Must not contain your e-mail address.";
        }

        if (displayName is { Length: > 100 }) { errors["display_name"] = "At most 100 characters."; }
        if (errors.Count > 0)
        {
            return new RegistrationResult(null, errors);
        }

        var user = new EndUser(Guid.CreateVersion7(), email!.Trim(), string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim());
        await using var cmd = (await database()).CreateCommand("""
            INSERT INTO users (id, email, email_normalized, display_name, password_hash, created_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email_normalized) DO NOTHING
            """);
        cmd.Parameters.Add(new() { Value = user.Id });
        cmd.Parameters.Add(new() { Value = user.Email });
        cmd.Parameters.Add(new() { Value = address! });
        cmd.Parameters.Add(new() { Value = (object?)user.DisplayName ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = PasswordHasher.Hash(password!) });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await cmd.ExecuteNonQueryAsync(ct) == 1
            ? new RegistrationResult(user, null)
            : new RegistrationResult(null, new Dictionary<string, string> { ["email"] = "An account with this e-mail address exists; log in instead." });
    }

    /// <summary>Checks an e-mail and password, counting failures and honouring the lock.</summary>
    public async Task<LoginResult> LoginAsync(string? email, string? password, CancellationToken ct)
    {
        var address = NormalizeEmail(email);
        var account = address is null ? null : await FindAsync("email_normalized = $1", address, ct);
        if (account is null || string.IsNullOrEmpty(password))
        {
            PasswordHasher.VerifyDecoy(password ?? "");
            return LoginResult.Invalid;
        }

        var now = time.GetUtcNow();
        if (account.LockedUntil > now)
        {
            return LoginResult.Locked(account.LockedUntil.Value);
        }

        if (!PasswordHasher.Verify(account.PasswordHash, password))
        {
            await using var fail = (await database()).CreateCommand("""
                UPDATE users SET failed_logins = failed_logins + 1,
                    locked_until = CASE WHEN failed_logins + 1 >= $2
                        THEN $3 + least(interval '15 minutes', interval '1 minute' * power(2, failed_logins + 1 - $2)) END
                WHERE id = $1 RETURNING locked_until
                """);
            fail.Parameters.Add(new() { Value = account.User.Id });
            fail.Parameters.Add(new() { Value = FreeFailures });
            fail.Parameters.Add(new() { Value = now });
            return await fail.ExecuteScalarAsync(ct) is DateTime until ? LoginResult.Locked(new DateTimeOffset(until, TimeSpan.Zero)) : LoginResult.Invalid;
        }

        await using var ok = (await database()).CreateCommand("""
            UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $2, password_hash = coalesce($3, password_hash)
            WHERE id = $1
            """);
        ok.Parameters.Add(new() { Value = account.User.Id });
        ok.Parameters.Add(new() { Value = now });
        ok.Parameters.Add(new() { Value = PasswordHasher.NeedsRehash(account.PasswordHash) ? PasswordHasher.Hash(password) : DBNull.Value });
        await ok.ExecuteNonQueryAsync(ct);
        return LoginResult.Success(account.User);
    }

    /// <summary>The account with id <paramref name="id"/>, if it exists (and is not locked).</summary>
    public async Task<EndUser?> FindActiveAsync(Guid id, CancellationToken ct)
    {
        var account = await FindAsync("id = $1", id, ct);
        return account is null || account.LockedUntil > time.GetUtcNow() ? null : account.User;
    }

    /// <summary>Lower-cased address, or null when it is not a plausible e-mail address.</summary>
    public static string? NormalizeEmail(string? email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 254 || !MailAddress.TryCreate(trimmed, out var parsed)
            || !string.Equals(parsed.Address, trimmed, StringComparison.Ordinal) || !parsed.Host.Contains('.', StringComparison.Ordinal))
        {
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    private async Task<Account?> FindAsync(string where, object value, CancellationToken ct)
    {
        await using var cmd = (await database()).CreateCommand($"SELECT id, email, display_name, password_hash, locked_until FROM users WHERE {where}");
        cmd.Parameters.Add(new() { Value = value });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new Account(
            new EndUser(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
    }

    private sealed record Account(EndUser User, string PasswordHash, DateTimeOffset? LockedUntil);
}

/// <summary>An end user of a reseller.</summary>
public sealed record EndUser(Guid Id, string Email, string? DisplayName);

/// <summary>The new account, or the field errors.</summary>
public sealed record RegistrationResult(EndUser? User, IReadOnlyDictionary<string, string>? Errors);

/// <summary>Outcome of a login attempt.</summary>
public sealed record LoginResult(EndUser? User, DateTimeOffset? LockedUntil)
{
    /// <summary>Unknown e-mail or wrong password (never said which).</summary>
    public static LoginResult Invalid { get; } = new(null, null);

    /// <summary>Too many failures: no login before <paramref name="until"/>.</summary>
    public static LoginResult Locked(DateTimeOffset until) => new(null, until);

    /// <summary>Logged in.</summary>
    public static LoginResult Success(EndUser user) => new(user, null);
}
