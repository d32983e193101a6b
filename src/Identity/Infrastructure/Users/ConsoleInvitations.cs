using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>
/// Invitations to a reseller's console (<c>console_invitations</c> in the reseller's database): how a reseller that
/// applied on its own gets its first administrator. The platform invites the application's contact address; the owner of
/// the address opens the e-mailed link (<c>/{reseller}/account/invitation</c>) and either chooses a password for a new
/// account or, when the address already has an account, proves it with that account's password. Either way the account
/// gets the <see cref="ConsoleRoles.Admin"/> role. A link works once, for <see cref="LinkLifetime"/>.
/// </summary>
public sealed class ConsoleInvitations(Func<ValueTask<NpgsqlDataSource>> database, TimeProvider time)
{
    /// <summary>How long an invitation's link works.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(7);

    /// <summary>Invitations over one reseller database.</summary>
    public ConsoleInvitations(NpgsqlDataSource db, TimeProvider time)
        : this(() => ValueTask.FromResult(db), time)
    {
    }

    /// <summary>Records an invitation of <paramref name="email"/>; returns the link's token (for the e-mail only).</summary>
    public async Task<string> CreateAsync(string email, string invitedBy, Uri consoleUrl, CancellationToken ct)
    {
        var address = UserStore.NormalizeEmail(email) ?? throw new ArgumentException($"'{email}' is not an e-mail address.", nameof(email));
        var token = LinkTokens.New();
        var now = time.GetUtcNow();
        await using var insert = (await database()).CreateCommand("""
            INSERT INTO console_invitations (token_hash, email, email_normalized, role, invited_by, console_url, created_at, expires_at)
            VALUES ($1, $2, $3, 'admin', $4, $5, $6, $7)
            """);
        insert.Parameters.Add(new() { Value = Hash(token) });
        insert.Parameters.Add(new() { Value = email.Trim() });
        insert.Parameters.Add(new() { Value = address });
        insert.Parameters.Add(new() { Value = invitedBy });
        insert.Parameters.Add(new() { Value = consoleUrl.ToString() });
        insert.Parameters.Add(new() { Value = now });
        insert.Parameters.Add(new() { Value = now + LinkLifetime });
        await insert.ExecuteNonQueryAsync(ct);
        return token;
    }

    /// <summary>True when the reseller has an administrator already.</summary>
    public async Task<bool> HasAdministratorAsync(CancellationToken ct)
    {
        await using var cmd = (await database()).CreateCommand("SELECT EXISTS (SELECT 1 FROM users WHERE console_role = 'admin')");
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>True when <paramref name="email"/> has an invitation that can still be accepted.</summary>
    public async Task<bool> IsPendingAsync(string email, CancellationToken ct)
    {
        await using var cmd = (await database()).CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM console_invitations WHERE email_normalized = $1 AND accepted_at IS NULL AND expires_at > $2)");
        cmd.Parameters.Add(new() { Value = UserStore.NormalizeEmail(email) ?? "" });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The open invitation of <paramref name="token"/>: its address and whether that address has an account.</summary>
    public async Task<OpenInvitation?> FindAsync(string? token, CancellationToken ct)
    {
        if (token is not { Length: > 0 and <= 100 })
        {
            return null;
        }

        await using var cmd = (await database()).CreateCommand("""
            SELECT i.email, EXISTS (SELECT 1 FROM users u WHERE u.email_normalized = i.email_normalized), i.console_url
            FROM console_invitations i WHERE i.token_hash = $1 AND i.expires_at > $2 AND i.accepted_at IS NULL
            """);
        cmd.Parameters.Add(new() { Value = Hash(token) });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new OpenInvitation(reader.GetString(0), reader.GetBoolean(1), new Uri(reader.GetString(2))) : null;
    }

    /// <summary>
    /// Accepts the invitation of <paramref name="token"/>: a new administrator with <paramref name="password"/> (and
    /// <paramref name="displayName"/>), or the address's existing account, whose password <paramref name="password"/> must be.
    /// </summary>
    public async Task<InvitationAcceptance> AcceptAsync(string? token, string? password, string? displayName, CancellationToken ct)
    {
        if (token is not { Length: > 0 and <= 100 } || string.IsNullOrEmpty(password))
        {
            return InvitationAcceptance.Failed(InvitationError.LinkInvalid);
        }

        var db = await database();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        string email, address, consoleUrl;
        await using (var read = new NpgsqlCommand("""
            SELECT email, email_normalized, console_url FROM console_invitations
            WHERE token_hash = $1 AND expires_at > $2 AND accepted_at IS NULL FOR UPDATE
            """, connection, tx))
        {
            read.Parameters.Add(new() { Value = Hash(token) });
            read.Parameters.Add(new() { Value = time.GetUtcNow() });
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return InvitationAcceptance.Failed(InvitationError.LinkInvalid);
            }

            (email, address, consoleUrl) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }

        Guid userId;
        string? hash = null;
        await using (var find = new NpgsqlCommand("SELECT id, password_hash FROM users WHERE email_normalized = $1 FOR UPDATE", connection, tx))
        {
            find.Parameters.Add(new() { Value = address });
            await using var reader = await find.ExecuteReaderAsync(ct);
            userId = await reader.ReadAsync(ct) ? reader.GetGuid(0) : Guid.Empty;
            if (userId != Guid.Empty)
            {
                hash = reader.GetString(1);
            }
        }

        if (userId != Guid.Empty)
        {
            // the address's account: its owner proves it with its password (the link alone only proves the mailbox)
            if (!PasswordHasher.Verify(hash!, password))
            {
                return InvitationAcceptance.Failed(InvitationError.WrongPassword);
            }

            await using var grant = new NpgsqlCommand("UPDATE users SET console_role = 'admin' WHERE id = $1", connection, tx);
            grant.Parameters.Add(new() { Value = userId });
            await grant.ExecuteNonQueryAsync(ct);
        }
        else
        {
            var errors = AccountRegistrations.Validate(email, password, displayName, out _);
            if (errors.Count > 0)
            {
                return InvitationAcceptance.Invalid(errors);
            }

            userId = Guid.CreateVersion7();
            await using var create = new NpgsqlCommand("""
                INSERT INTO users (id, email, email_normalized, display_name, password_hash, created_at, console_role)
                VALUES ($1, $2, $3, $4, $5, $6, 'admin')
                """, connection, tx);
            create.Parameters.Add(new() { Value = userId });
            create.Parameters.Add(new() { Value = email });
            create.Parameters.Add(new() { Value = address });
            create.Parameters.Add(new() { Value = string.IsNullOrWhiteSpace(displayName) ? DBNull.Value : displayName.Trim() });
            create.Parameters.Add(new() { Value = PasswordHasher.Hash(password) });
            create.Parameters.Add(new() { Value = time.GetUtcNow() });
            await create.ExecuteNonQueryAsync(ct);
        }

        // every open invitation of the address ends with this one
        await using (var done = new NpgsqlCommand(
            "UPDATE console_invitations SET accepted_at = $2 WHERE email_normalized = $1 AND accepted_at IS NULL", connection, tx))
        {
            done.Parameters.Add(new() { Value = address });
            done.Parameters.Add(new() { Value = time.GetUtcNow() });
            await done.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return InvitationAcceptance.Done(new EndUser(userId, email, displayName, ConsoleRoles.Admin), new Uri(consoleUrl));
    }

    private static byte[] Hash(string token) => LinkTokens.Hash(token);
}

/// <summary>Why an invitation was not accepted.</summary>
public enum InvitationError
{
    /// <summary>No open invitation of this link (unknown, expired or used).</summary>
    LinkInvalid = 1,

    /// <summary>The address has an account and this is not its password.</summary>
    WrongPassword = 2,

    /// <summary>The new account's fields are not valid (see the errors).</summary>
    Invalid = 3,
}

/// <summary>An invitation that can still be accepted.</summary>
public sealed record OpenInvitation(string Email, bool HasAccount, Uri ConsoleUrl);

/// <summary>The outcome of <see cref="ConsoleInvitations.AcceptAsync"/>.</summary>
public sealed record InvitationAcceptance(EndUser? User, Uri? ConsoleUrl, InvitationError? Error, IReadOnlyDictionary<string, string>? Errors)
{
    public static InvitationAcceptance Done(EndUser user, Uri consoleUrl) => new(user, consoleUrl, null, null);

    public static InvitationAcceptance Failed(InvitationError error) => new(null, null, error, null);

    public static InvitationAcceptance Invalid(IReadOnlyDictionary<string, string> errors) => new(null, null, InvitationError.Invalid, errors);
}
