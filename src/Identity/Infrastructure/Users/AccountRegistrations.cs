using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>
/// Registration by e-mail confirmation, so that it never tells whether an address has an account: a valid form is answered
/// the same way either way, and only the owner of the address learns which it was from the e-mail (a link to finish, or
/// "you already have an account"). The account exists once the link's page is sent with the password chosen at
/// registration, so a stranger who registered someone else's address cannot end up knowing its password.
/// </summary>
public sealed class AccountRegistrations(Func<ValueTask<NpgsqlDataSource>> database, TimeProvider time)
{
    /// <summary>How long the link of a registration works.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    /// <summary>A store over one reseller database.</summary>
    public AccountRegistrations(NpgsqlDataSource db, TimeProvider time)
        : this(() => ValueTask.FromResult(db), time)
    {
    }

    /// <summary>
    /// Validates the form; then either records a pending registration (its link token is in the result, for the e-mail)
    /// or finds the address's account. Both cost one password hash, so they also take the same time.
    /// </summary>
    public async Task<Registration> RegisterAsync(string? email, string? password, string? displayName, CancellationToken ct)
    {
        var errors = Validate(email, password, displayName, out var address);
        if (errors.Count > 0)
        {
            return Registration.Invalid(errors);
        }

        var hash = PasswordHasher.Hash(password!);
        var db = await database();
        await using (var existing = db.CreateCommand("SELECT email FROM users WHERE email_normalized = $1"))
        {
            existing.Parameters.Add(new() { Value = address! });
            if (await existing.ExecuteScalarAsync(ct) is string owner)
            {
                return Registration.Exists(owner);
            }
        }

        var token = LinkTokens.New();
        var now = time.GetUtcNow();
        await using var insert = db.CreateCommand("""
            INSERT INTO pending_registrations (token_hash, email, email_normalized, display_name, password_hash, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """);
        insert.Parameters.Add(new() { Value = Hash(token) });
        insert.Parameters.Add(new() { Value = email!.Trim() });
        insert.Parameters.Add(new() { Value = address! });
        insert.Parameters.Add(new() { Value = string.IsNullOrWhiteSpace(displayName) ? DBNull.Value : displayName.Trim() });
        insert.Parameters.Add(new() { Value = hash });
        insert.Parameters.Add(new() { Value = now });
        insert.Parameters.Add(new() { Value = now + LinkLifetime });
        await insert.ExecuteNonQueryAsync(ct);
        return Registration.Pending(email.Trim(), token);
    }

    /// <summary>
    /// Makes the account of a pending registration: the link's <paramref name="token"/> and the password chosen with it.
    /// Every pending registration of that address ends with it.
    /// </summary>
    public async Task<Confirmation> ConfirmAsync(string? token, string? password, CancellationToken ct)
    {
        if (token is not { Length: > 0 and <= 100 } || string.IsNullOrEmpty(password))
        {
            return Confirmation.Failed(ConfirmationError.LinkInvalid);
        }

        var db = await database();
        string email, address, hash;
        string? displayName;
        await using (var read = db.CreateCommand(
            "SELECT email, email_normalized, display_name, password_hash FROM pending_registrations WHERE token_hash = $1 AND expires_at > $2"))
        {
            read.Parameters.Add(new() { Value = Hash(token) });
            read.Parameters.Add(new() { Value = time.GetUtcNow() });
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return Confirmation.Failed(ConfirmationError.LinkInvalid);
            }

            (email, address, displayName, hash) = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3));
        }

        if (!PasswordHasher.Verify(hash, password))
        {
            return Confirmation.Failed(ConfirmationError.WrongPassword);
        }

        var user = new EndUser(Guid.CreateVersion7(), email, displayName);
        // one statement: the account, unless the address got one meanwhile, and the end of the address's pending registrations
        await using var create = db.CreateCommand("""
            WITH created AS (
                INSERT INTO users (id, email, email_normalized, display_name, password_hash, created_at)
                VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email_normalized) DO NOTHING RETURNING id),
            done AS (DELETE FROM pending_registrations WHERE email_normalized = $3)
            SELECT id FROM created
            """);
        create.Parameters.Add(new() { Value = user.Id });
        create.Parameters.Add(new() { Value = email });
        create.Parameters.Add(new() { Value = address });
        create.Parameters.Add(new() { Value = (object?)displayName ?? DBNull.Value });
        create.Parameters.Add(new() { Value = hash });
        create.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await create.ExecuteScalarAsync(ct) is Guid ? Confirmation.Done(user) : Confirmation.Failed(ConfirmationError.AccountExists);
    }

    /// <summary>Deletes registrations whose link expired; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        await using var cmd = (await database()).CreateCommand("DELETE FROM pending_registrations WHERE expires_at <= $1");
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The field errors of a registration form (none: <paramref name="address"/> is the normalized e-mail).</summary>
    public static Dictionary<string, string> Validate(string? email, string? password, string? displayName, out string? address)
    {
        var errors = new Dictionary<string, string>();
        address = UserStore.NormalizeEmail(email);
        if (address is null) { errors["email"] = "A valid e-mail address, at most 254 characters."; }
        if (password is null || password.Length < UserStore.MinPasswordLength || password.Length > 128)
        {
            errors["password"] = $"{UserStore.MinPasswordLength} to 128 characters.";
        }
        else if (address is not null && address.Split('@')[0] is { Length: >= 4 } local && password.Contains(local, StringComparison.OrdinalIgnoreCase))
        {
            errors["password"] = "Must not contain your e-mail address.";
        }

        if (displayName is { Length: > 100 }) { errors["display_name"] = "At most 100 characters."; }
        return errors;
    }

    private static byte[] Hash(string token) => LinkTokens.Hash(token);
}
