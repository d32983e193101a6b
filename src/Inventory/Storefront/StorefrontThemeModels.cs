namespace TicketAspire.Inventory.Storefront;

/// <summary>
/// The theme fields a reseller sets for its hosted storefront; a null field means the default (the cell file's
/// <c>storefront.theme</c>, or the platform's default theme).
/// </summary>
/// <param name="Name">The storefront's display name (1 to 80 characters, one line).</param>
/// <param name="Primary">Primary colour, <c>#rrggbb</c>; white text on it has a contrast ratio of at least 4.5.</param>
/// <param name="Secondary">Secondary colour, <c>#rrggbb</c>.</param>
/// <param name="Tagline">A line under the name on the home page (at most 160 characters).</param>
/// <param name="FooterText">Plain text at the foot of every page (at most 500 characters, line breaks allowed).</param>
public sealed record StorefrontThemeSettings(string? Name, string? Primary, string? Secondary, string? Tagline, string? FooterText);

/// <summary>The stored theme: its fields, its logo (without the bytes) and when it last changed.</summary>
public sealed record StoredStorefrontTheme(StorefrontThemeSettings Settings, StorefrontLogoInfo? Logo, DateTimeOffset UpdatedAt);

/// <summary>What is known of a stored logo without reading it: content type, size and SHA-256 (hex, its ETag).</summary>
public sealed record StorefrontLogoInfo(string ContentType, int Length, string Sha256);

/// <summary>A stored logo with its bytes.</summary>
public sealed record StorefrontLogo(byte[] Bytes, string ContentType, string Sha256, DateTimeOffset UpdatedAt);
