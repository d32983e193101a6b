using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using TicketAspire.Web.Extensions;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// Guest checkout: the storefront asks the reseller's issuer for a guest token (<see cref="GuestGrant"/>, as the
/// reseller's public storefront client; the grant is the identity service's <c>GuestGrant</c>) and keeps it in the storefront's session like a signed-in buyer's. The guest
/// then buys through the API with that token, so the API's rules (the jurisdiction's guest checkout rule first) apply.
/// </summary>
public sealed class GuestSignIn(HttpClient identity, TimeProvider time)
{
    /// <summary>Claim marking a guest's session.</summary>
    public const string GuestClaim = "guest";

    /// <summary>The identity service's guest grant type.</summary>
    public const string GrantType = "urn:ticketaspire:params:oauth:grant-type:guest";

    /// <summary>Longest e-mail address the grant accepts.</summary>
    public const int MaxEmailLength = 254;

    /// <summary>A guest token's lifetime when the answer does not say.</summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(2);

    /// <summary>Signs the guest with <paramref name="email"/> in for <paramref name="site"/>; null, or why not.</summary>
    public async Task<string?> SignInAsync(HttpContext context, ResellerSite site, string email, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(site);
        HttpResponseMessage response;
        try
        {
            response = await identity.PostAsync($"{site.Id}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = GrantType,
                ["client_id"] = $"{site.Id}-storefront",
                ["scope"] = "guest",
                ["email"] = email,
            }), ct);
        }
        catch (HttpRequestException)
        {
            return "The sign-in service cannot be reached right now. Try again in a moment.";
        }

        using (response)
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            if (!response.IsSuccessStatusCode || !body.RootElement.TryGetProperty("access_token", out var token))
            {
                return body.RootElement.TryGetProperty("error", out var error) && error.GetString() == "invalid_request"
                    ? "Enter a valid e-mail address."
                    : "Guest checkout is not available right now.";
            }

            var lifetime = body.RootElement.TryGetProperty("expires_in", out var seconds) ? TimeSpan.FromSeconds(seconds.GetInt32()) : DefaultLifetime;
            var guest = new ClaimsIdentity(
            [
                new Claim("name", $"Guest ({email})"),
                new Claim("email", email),
                new Claim(GuestClaim, "true"),
                new Claim(AuthenticationExtensions.ResellerClaim, site.Id),
                new Claim(AuthenticationExtensions.AccessTokenClaim, token.GetString()!),
            ], authenticationType: GuestClaim, nameType: "name", roleType: "role");
            // the session ends with the token: a guest has no account to sign in to again
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(guest),
                new AuthenticationProperties { ExpiresUtc = time.GetUtcNow() + lifetime, IsPersistent = false });
            return null;
        }
    }
}

/// <summary>The guest checkout form's fields.</summary>
public sealed class GuestCheckoutForm
{
    public string? Email { get; set; }

    /// <summary>Where to go afterwards (a path of this storefront only).</summary>
    public string? ReturnUrl { get; set; }
}
