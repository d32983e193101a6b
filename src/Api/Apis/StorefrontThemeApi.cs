using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Storefront;

namespace TicketAspire.Api.Apis;

/// <summary>
/// The reseller's storefront theme (by the host: its own database): name, colours, tagline, footer text and logo. Anyone
/// reads it, as the hosted storefront does for every page; the reseller's integrator (<c>inventory:write</c>, the
/// console's administrator) changes it. A field left null is the storefront's default (the cell file's theme). Writes
/// are in the reseller's audit log (<see cref="Infrastructure.Audit.AuditMiddleware"/>).
/// </summary>
public static class StorefrontThemeApi
{
    public const string ContrastTooLow = "storefront_theme.contrast_too_low";
    public const string LogoNotFound = "storefront_theme.logo_not_found";
    public const string LogoUnsupportedType = "storefront_theme.logo_unsupported_type";
    public const string LogoNotImage = "storefront_theme.logo_not_image";

    private const string LogoPath = "/v1/storefront/theme/logo";

    public static RouteGroupBuilder MapStorefrontThemeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/storefront/theme").WithTags("Storefront");

        api.MapGet("/", GetStorefrontTheme).WithName("GetStorefrontTheme")
            .WithSummary("The storefront theme the reseller set (null fields: the storefront's default); public, with an ETag");
        api.MapPut("/", UpdateStorefrontTheme).WithName("UpdateStorefrontTheme")
            .WithSummary("Replace the theme's name, colours, tagline and footer text (null or empty: the default); white text on primary needs contrast 4.5")
            .RequireAuthorization(ApiPolicies.InventoryWrite);
        api.MapGet("/logo", GetStorefrontLogo).WithName("GetStorefrontLogo").WithSummary("The storefront's logo image; public, with an ETag");
        api.MapPut("/logo", SetStorefrontLogo).WithName("SetStorefrontLogo")
            // no Accepts metadata: routing would answer another content type 415 without the problem's code
            .WithSummary("Upload the logo: the image as the body (image/png, image/jpeg or image/webp, at most 256 KiB)")
            .WithMetadata(new RequestSizeLimitAttribute(LogoImage.MaxBytes))
            .RequireAuthorization(ApiPolicies.InventoryWrite);
        api.MapDelete("/logo", RemoveStorefrontLogo).WithName("RemoveStorefrontLogo").WithSummary("Remove the logo")
            .RequireAuthorization(ApiPolicies.InventoryWrite);

        return api;
    }

    public static async Task<Results<Ok<StorefrontThemeView>, StatusCodeHttpResult>> GetStorefrontTheme(
        HttpContext context, StorefrontThemes themes, CancellationToken ct)
    {
        var theme = await themes.GetAsync(ct);
        var etag = theme is null ? "\"default\"" : $"\"{theme.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}\"";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "public, max-age=5";
        return NotModified(context.Request, etag) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Ok(View(theme));
    }

    public static async Task<Results<Ok<StorefrontThemeView>, ProblemHttpResult>> UpdateStorefrontTheme(
        StorefrontThemeRequest? request, StorefrontThemes themes, CancellationToken ct)
    {
        if (request is null)
        {
            return Problems.Invalid("name", "A theme: name, primary, secondary, tagline, footer_text (each optional; null is the default).");
        }

        var (settings, errors) = StorefrontThemeInput.Normalize(new StorefrontThemeSettings(request.Name, request.Primary, request.Secondary, request.Tagline, request.FooterText));
        if (settings is null)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        if (settings.Primary is { } primary && StorefrontThemeInput.ContrastWithWhite(primary) is var ratio && ratio < StorefrontThemeInput.MinPrimaryContrast)
        {
            var shown = Math.Floor(ratio * 100) / 100;
            var message = $"White text on {primary} has a contrast ratio of {shown.ToString("0.00", CultureInfo.InvariantCulture)}:1; "
                + "at least 4.5:1 is needed (WCAG AA). Choose a darker colour.";
            return Problem(StatusCodes.Status422UnprocessableEntity, ContrastTooLow, "The primary colour is too light for white text", message, new()
            {
                ["errors"] = new Dictionary<string, string[]> { ["primary"] = [message] },
                ["contrast_ratio"] = shown,
                ["minimum_contrast_ratio"] = StorefrontThemeInput.MinPrimaryContrast,
            });
        }

        return TypedResults.Ok(View(await themes.SaveAsync(settings, ct)));
    }

    public static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetStorefrontLogo(
        HttpContext context, StorefrontThemes themes, CancellationToken ct)
    {
        if (await themes.GetLogoAsync(ct) is not { } logo)
        {
            return Problem(StatusCodes.Status404NotFound, LogoNotFound, "No logo", "The storefront has no logo.");
        }

        var etag = $"\"{logo.Sha256}\"";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "public, max-age=60";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return NotModified(context.Request, etag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.File(logo.Bytes, logo.ContentType, lastModified: logo.UpdatedAt);
    }

    public static async Task<Results<Ok<StorefrontLogoView>, ProblemHttpResult>> SetStorefrontLogo(
        HttpRequest request, StorefrontThemes themes, CancellationToken ct)
    {
        var declared = MediaTypeHeaderValue.TryParse(request.ContentType, out var media) ? media.MediaType?.ToLowerInvariant() : null;
        if (declared is null || !LogoImage.ContentTypes.Contains(declared))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, LogoUnsupportedType, "Unsupported logo type",
                $"A logo is sent as the body with Content-Type {string.Join(", ", LogoImage.ContentTypes)} (SVG is not accepted); this one is '{request.ContentType}'.");
        }

        if (await CappedBody.ReadAsync(request, LogoImage.MaxBytes, ct) is not { } bytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "request_too_large", "Request too large",
                $"A logo has at most {LogoImage.MaxBytes} bytes (256 KiB).");
        }

        if (LogoImage.Sniff(bytes) is not { } actual || actual != declared)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, LogoNotImage, "The logo is not the image it claims to be",
                $"The body is not a {declared} image{(LogoImage.Sniff(bytes) is { } other ? $" (it is {other})" : "")}.");
        }

        var info = await themes.SetLogoAsync(bytes, actual, ct);
        return TypedResults.Ok(LogoView(info));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveStorefrontLogo(StorefrontThemes themes, CancellationToken ct) =>
        await themes.RemoveLogoAsync(ct)
            ? TypedResults.NoContent()
            : Problem(StatusCodes.Status404NotFound, LogoNotFound, "No logo", "The storefront has no logo.");

    private static bool NotModified(HttpRequest request, string etag) =>
        request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() is var tag && (tag == etag || tag == "*")));

    private static StorefrontThemeView View(StoredStorefrontTheme? theme) => theme is null
        ? new StorefrontThemeView(null, null, null, null, null, null, null)
        : new StorefrontThemeView(theme.Settings.Name, theme.Settings.Primary, theme.Settings.Secondary, theme.Settings.Tagline, theme.Settings.FooterText,
            theme.Logo is { } logo ? LogoView(logo) : null, theme.UpdatedAt);

    private static StorefrontLogoView LogoView(StorefrontLogoInfo logo) =>
        new($"{LogoPath}?v={logo.Sha256[..16]}", logo.ContentType, logo.Length, logo.Sha256);

    private static ProblemHttpResult Problem(int status, string code, string title, string detail, Dictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Type = Problems.TypeBase + code, Title = title, Status = status, Detail = detail, Extensions = { ["code"] = code } };
        foreach (var (key, value) in extensions ?? [])
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }
}

/// <summary>A new theme; each field optional, null or empty meaning the default.</summary>
public sealed record StorefrontThemeRequest(string? Name, string? Primary, string? Secondary, string? Tagline, string? FooterText);

/// <summary>The theme the reseller set: null fields are the storefront's default; <paramref name="UpdatedAt"/> null when never set.</summary>
public sealed record StorefrontThemeView(
    string? Name, string? Primary, string? Secondary, string? Tagline, string? FooterText, StorefrontLogoView? Logo, DateTimeOffset? UpdatedAt);

/// <summary>The logo: where to fetch it (the URL changes with the image), its type, size in bytes and SHA-256 (hex).</summary>
public sealed record StorefrontLogoView(string Url, string ContentType, int Length, string Sha256);
