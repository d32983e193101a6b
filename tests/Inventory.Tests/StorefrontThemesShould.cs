using Npgsql;
using TicketAspire.Inventory.Storefront;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// The storefront theme of a reseller database: its text and colour rules, white text's contrast on the primary colour,
/// the logo formats recognised by their bytes, and the stored row (defaults when absent, a logo kept across a theme
/// change, removed on its own); against real Postgres.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class StorefrontThemesShould(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, .. "IHDR"u8];
    private InventoryHarness _inventory = null!;
    private StorefrontThemes _themes = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(StorefrontThemesShould));
        _themes = new StorefrontThemes(_inventory.Db, _inventory.Time);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Theory]
    [InlineData("#ffffff", 1.0)]
    [InlineData("#000000", 21.0)]
    [InlineData("#1d4ed8", 6.70)]
    [InlineData("#767676", 4.54)]
    [InlineData("#777777", 4.48)]
    [InlineData("#ffff00", 1.07)]
    public void ComputeWhitesContrastOnAColourAsWcagDoes(string colour, double expected) =>
        Assert.Equal(expected, StorefrontThemeInput.ContrastWithWhite(colour), precision: 2);

    [Fact]
    public void TrimTextLowerColoursAndTakeEmptyFieldsAsTheDefault()
    {
        var (value, errors) = StorefrontThemeInput.Normalize(new StorefrontThemeSettings("  Acme Live ", "#1D4ED8", "", " ", "Acme Ltd\nParis"));
        Assert.Empty(errors);
        Assert.Equal(new StorefrontThemeSettings("Acme Live", "#1d4ed8", null, null, "Acme Ltd\nParis"), value);
    }

    [Fact]
    public void RefuseBadColoursLongTextAndLineBreaksInOneLineFields()
    {
        var (value, errors) = StorefrontThemeInput.Normalize(new StorefrontThemeSettings(
            new string('n', 81), "blue", "#12345g", "two\nlines", new string('f', 501)));
        Assert.Null(value);
        Assert.Equal(["footer_text", "name", "primary", "secondary", "tagline"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("#rrggbb", errors["primary"][0], StringComparison.Ordinal);
        Assert.Null(StorefrontThemeInput.Normalize(new StorefrontThemeSettings("Acme\u0007", null, null, null, null)).Value);
    }

    [Fact]
    public void RecogniseLogoFormatsByTheirBytesOnly()
    {
        Assert.Equal("image/png", LogoImage.Sniff(Png));
        Assert.Equal("image/jpeg", LogoImage.Sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]));
        Assert.Equal("image/webp", LogoImage.Sniff([.. "RIFF"u8, 0x24, 0, 0, 0, .. "WEBPVP8 "u8]));
        Assert.Null(LogoImage.Sniff("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8));
        Assert.Null(LogoImage.Sniff("GIF89a"u8));
        Assert.Null(LogoImage.Sniff([]));
    }

    [Fact]
    public async Task KeepTheLogoAcrossAThemeChangeAndRemoveItOnItsOwn()
    {
        Assert.Null(await _themes.GetAsync(CancellationToken.None));

        var logo = await _themes.SetLogoAsync(Png, "image/png", CancellationToken.None);
        Assert.Equal((Png.Length, 64), (logo.Length, logo.Sha256.Length));
        _inventory.Time.Advance(TimeSpan.FromMinutes(1));
        var saved = await _themes.SaveAsync(new StorefrontThemeSettings("Acme Live", "#1d4ed8", null, "Tonight", "Acme Ltd"), CancellationToken.None);

        Assert.Equal(new StorefrontThemeSettings("Acme Live", "#1d4ed8", null, "Tonight", "Acme Ltd"), saved.Settings);
        Assert.Equal(logo, saved.Logo);
        Assert.Equal(_inventory.Time.GetUtcNow(), saved.UpdatedAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(Png, (await _themes.GetLogoAsync(CancellationToken.None))!.Bytes);

        Assert.True(await _themes.RemoveLogoAsync(CancellationToken.None));
        Assert.False(await _themes.RemoveLogoAsync(CancellationToken.None));
        Assert.Null(await _themes.GetLogoAsync(CancellationToken.None));
        Assert.Equal("Acme Live", (await _themes.GetAsync(CancellationToken.None))!.Settings.Name);
    }

    [Fact]
    public async Task RefuseInTheSchemaWhatTheRulesRefuse()
    {
        await using var cmd = _inventory.Db.CreateCommand("INSERT INTO storefront_theme (id, primary_colour, updated_at) VALUES (1, 'red', now())");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
    }
}
