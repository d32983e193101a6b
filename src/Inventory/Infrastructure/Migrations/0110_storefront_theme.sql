-- The reseller's storefront theme as it set it (the console's settings, PUT /v1/storefront/theme): at most one row per
-- reseller database. A column left null, or no row at all, means the default from the cell file (storefront.theme).
-- The logo is kept beside it (at most 256 KiB, PNG, JPEG or WebP, checked by the API), with its content type and a hash
-- that serves as its ETag.
CREATE TABLE storefront_theme (
    id                smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    name              text CHECK (char_length(name) BETWEEN 1 AND 80),
    primary_colour    text CHECK (primary_colour ~ '^#[0-9a-f]{6}$'),
    secondary_colour  text CHECK (secondary_colour ~ '^#[0-9a-f]{6}$'),
    tagline           text CHECK (char_length(tagline) BETWEEN 1 AND 160),
    footer_text       text CHECK (char_length(footer_text) BETWEEN 1 AND 500),
    logo              bytea CHECK (octet_length(logo) BETWEEN 1 AND 262144),
    logo_content_type text CHECK (logo_content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    logo_sha256       text,
    updated_at        timestamptz NOT NULL,
    CHECK ((logo IS NULL) = (logo_content_type IS NULL) AND (logo IS NULL) = (logo_sha256 IS NULL))
);
