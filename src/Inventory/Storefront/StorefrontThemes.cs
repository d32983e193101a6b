using System.Security.Cryptography;
using Npgsql;

namespace TicketAspire.Inventory.Storefront;

/// <summary>
/// The storefront theme of one reseller database: one row (<c>storefront_theme</c>) holding what the reseller set, its
/// logo beside it. No row, or a null field, means the default. Each write is one upsert, so the last write wins whole.
/// Input is checked by <see cref="StorefrontThemeInput"/> and <see cref="LogoImage"/> before it comes here.
/// </summary>
public sealed class StorefrontThemes(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>The stored theme, or null when the reseller never set one.</summary>
    public async Task<StoredStorefrontTheme?> GetAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT name, primary_colour, secondary_colour, tagline, footer_text, logo_content_type, octet_length(logo), logo_sha256, updated_at
            FROM storefront_theme WHERE id = 1
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        var settings = new StorefrontThemeSettings(Text(0), Text(1), Text(2), Text(3), Text(4));
        var logo = reader.IsDBNull(5) ? null : new StorefrontLogoInfo(reader.GetString(5), reader.GetInt32(6), reader.GetString(7));
        return new StoredStorefrontTheme(settings, logo, reader.GetFieldValue<DateTimeOffset>(8));
    }

    /// <summary>Replaces the theme's fields (checked and normalized) and keeps the logo; returns the stored theme.</summary>
    public async Task<StoredStorefrontTheme> SaveAsync(StorefrontThemeSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var cmd = db.CreateCommand("""
            INSERT INTO storefront_theme (id, name, primary_colour, secondary_colour, tagline, footer_text, updated_at)
            VALUES (1, $1, $2, $3, $4, $5, $6)
            ON CONFLICT (id) DO UPDATE SET name = $1, primary_colour = $2, secondary_colour = $3, tagline = $4, footer_text = $5, updated_at = $6
            """);
        foreach (var value in new[] { settings.Name, settings.Primary, settings.Secondary, settings.Tagline, settings.FooterText })
        {
            cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        }

        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        await cmd.ExecuteNonQueryAsync(ct);
        return (await GetAsync(ct))!;
    }

    /// <summary>Stores the logo (checked: an accepted image within the size limit); returns what is known of it.</summary>
    public async Task<StorefrontLogoInfo> SetLogoAsync(byte[] bytes, string contentType, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await using var cmd = db.CreateCommand("""
            INSERT INTO storefront_theme (id, logo, logo_content_type, logo_sha256, updated_at) VALUES (1, $1, $2, $3, $4)
            ON CONFLICT (id) DO UPDATE SET logo = $1, logo_content_type = $2, logo_sha256 = $3, updated_at = $4
            """);
        cmd.Parameters.Add(new() { Value = bytes });
        cmd.Parameters.Add(new() { Value = contentType });
        cmd.Parameters.Add(new() { Value = sha });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        await cmd.ExecuteNonQueryAsync(ct);
        return new StorefrontLogoInfo(contentType, bytes.Length, sha);
    }

    /// <summary>Removes the logo; false when there was none.</summary>
    public async Task<bool> RemoveLogoAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE storefront_theme SET logo = NULL, logo_content_type = NULL, logo_sha256 = NULL, updated_at = $1
            WHERE id = 1 AND logo IS NOT NULL
            """);
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>The logo with its bytes, or null when there is none.</summary>
    public async Task<StorefrontLogo?> GetLogoAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT logo, logo_content_type, logo_sha256, updated_at FROM storefront_theme WHERE id = 1 AND logo IS NOT NULL");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new StorefrontLogo(reader.GetFieldValue<byte[]>(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }
}
