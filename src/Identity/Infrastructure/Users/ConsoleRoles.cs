using Npgsql;

namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>
/// The console roles of accounts (<c>users.console_role</c>): a reseller's administrators in its database, the cell's
/// staff in the catalog (the platform issuer's accounts).
/// </summary>
public static class ConsoleRoles
{
    /// <summary>A reseller's administrator: the reseller console, with the reseller integrator's scopes.</summary>
    public const string Admin = "admin";

    /// <summary>Support staff of the cell: the support console (scope <c>support</c>).</summary>
    public const string Support = "support";

    /// <summary>An operator of the cell: support and cell administration (scopes <c>support</c> and <c>operator</c>).</summary>
    public const string Operator = "operator";

    /// <summary>
    /// Creates the account of <paramref name="email"/> with <paramref name="role"/>, or gives an existing account of that
    /// address the role; its password becomes <paramref name="password"/> when that is not already it. Used by the cell
    /// migrator for the accounts it seeds from Aspire parameters.
    /// </summary>
    /// <returns><c>created</c>, <c>updated</c> (password or role changed) or <c>unchanged</c>.</returns>
    public static async Task<string> EnsureAccountAsync(
        NpgsqlDataSource db, string email, string displayName, string password, string role, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var normalized = UserStore.NormalizeEmail(email) ?? throw new ArgumentException($"'{email}' is not an e-mail address.", nameof(email));
        if (password.Length < UserStore.MinPasswordLength)
        {
            throw new ArgumentException($"The password of {email} is shorter than {UserStore.MinPasswordLength} characters.", nameof(password));
        }

        if (role is not (Admin or Support or Operator))
        {
            throw new ArgumentException($"Unknown console role '{role}'.", nameof(role));
        }

        await using (var find = db.CreateCommand("SELECT password_hash, console_role FROM users WHERE email_normalized = $1"))
        {
            find.Parameters.Add(new() { Value = normalized });
            await using var reader = await find.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                var samePassword = PasswordHasher.Verify(reader.GetString(0), password);
                var sameRole = !reader.IsDBNull(1) && reader.GetString(1) == role;
                await reader.DisposeAsync();
                if (samePassword && sameRole)
                {
                    return "unchanged";
                }

                await using var update = db.CreateCommand("""
                    UPDATE users SET console_role = $2, password_hash = coalesce($3, password_hash) WHERE email_normalized = $1
                    """);
                update.Parameters.Add(new() { Value = normalized });
                update.Parameters.Add(new() { Value = role });
                update.Parameters.Add(new() { Value = samePassword ? DBNull.Value : PasswordHasher.Hash(password) });
                await update.ExecuteNonQueryAsync(ct);
                return "updated";
            }
        }

        await using var insert = db.CreateCommand("""
            INSERT INTO users (id, email, email_normalized, display_name, password_hash, created_at, console_role)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (email_normalized) DO NOTHING
            """);
        insert.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        insert.Parameters.Add(new() { Value = email.Trim() });
        insert.Parameters.Add(new() { Value = normalized });
        insert.Parameters.Add(new() { Value = displayName });
        insert.Parameters.Add(new() { Value = PasswordHasher.Hash(password) });
        insert.Parameters.Add(new() { Value = now });
        insert.Parameters.Add(new() { Value = role });
        return await insert.ExecuteNonQueryAsync(ct) == 1 ? "created" : "unchanged";
    }
}
