using Microsoft.Playwright;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Signing in to the consoles in a real browser: a reseller's seeded administrator (<c>admin@&lt;reseller&gt;.example</c>)
/// at <c>/console/login</c> on the reseller's host, a staff member of the cell (<c>support@&lt;cell&gt;.ticketaspire.example</c>
/// or <c>operator@…</c>) at <c>/ops/login</c> on the cell's own host; both through the identity service's sign-in form.
/// </summary>
internal static class ConsoleSignIn
{
    /// <summary>The password of the cell's seeded console accounts (<c>Parameters:&lt;cell&gt;-console-password</c> of the fixture).</summary>
    public static string Password(string cell) => $"{cell}-console-test-password-5e1b";

    /// <summary>The seeded administrator of <paramref name="reseller"/>.</summary>
    public static string AdminEmail(string reseller) => $"admin@{reseller}.example";

    /// <summary>The seeded staff account of <paramref name="role"/> (<c>support</c>, <c>operator</c>) of <paramref name="cell"/>.</summary>
    public static string StaffEmail(string cell, string role) => $"{role}@{cell}.ticketaspire.example";

    /// <summary>The router's origin of <paramref name="reseller"/>'s host (<c>http://acme.eu.localhost:5000</c>).</summary>
    public static string ResellerOrigin(PlatformFixture platform, string reseller, string cell = "eu") =>
        $"http://{reseller}.{cell}.localhost:{platform.App.GetEndpoint("router", "http").Port}";

    /// <summary>The router's origin of the cell's own host (<c>http://eu.localhost:5000</c>).</summary>
    public static string PlatformOrigin(PlatformFixture platform, string cell = "eu") =>
        $"http://{cell}.localhost:{platform.App.GetEndpoint("router", "http").Port}";

    /// <summary>Signs <paramref name="reseller"/>'s administrator in; the page ends on <paramref name="returnPath"/> of the console.</summary>
    public static Task ResellerAdminAsync(IPage page, PlatformFixture platform, string reseller, string cell = "eu", string returnPath = "/console") =>
        SignInAsync(page, ResellerOrigin(platform, reseller, cell), "/console/login", returnPath, AdminEmail(reseller), Password(cell));

    /// <summary>Signs a staff member of <paramref name="cell"/> in; the page ends on <paramref name="returnPath"/> of the staff console.</summary>
    public static Task StaffAsync(IPage page, PlatformFixture platform, string cell = "eu", string role = "support", string returnPath = "/ops") =>
        SignInAsync(page, PlatformOrigin(platform, cell), "/ops/login", returnPath, StaffEmail(cell, role), Password(cell));

    /// <summary>
    /// Through the console's login to the issuer's form; returns once the console's callback signed the session in and sent the
    /// browser on to <paramref name="returnPath"/> (the page then loads it: wait for its content).
    /// </summary>
    public static async Task SignInAsync(IPage page, string origin, string login, string returnPath, string email, string password)
    {
        await page.GotoAsync($"{origin}{login}?returnUrl={Uri.EscapeDataString(returnPath)}");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        // the identity service's answer, the code exchange and the console's first render: seconds on a loaded machine
        var callback = page.WaitForResponseAsync(r => r.Url.StartsWith(origin, StringComparison.Ordinal) && r.Url.Contains("/signin-oidc", StringComparison.Ordinal),
            new() { Timeout = 60_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var signedIn = await callback;
        Assert.True(signedIn.Status == 302, $"{signedIn.Url}: {signedIn.Status}");
        Assert.StartsWith(returnPath, new Uri(new Uri(origin), await signedIn.HeaderValueAsync("location") ?? "").PathAndQuery, StringComparison.Ordinal);
    }
}
