using System.Text.RegularExpressions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Sign-in lockout and registration against the real identity service: a lock refuses new sign-ins but ends no session,
/// an unknown address is answered and locked like a known one, and registration does not tell whether an address has an
/// account.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EndUserLockoutTests(PlatformFixture platform)
{
    private const string Password = "a-long-enough-password-42";

    [Fact]
    public async Task Repeated_wrong_passwords_lock_new_sign_ins_but_end_no_session()
    {
        using var browser = new Browser(platform, "eu");
        var email = $"frank-{Guid.NewGuid():N}@example.com";
        var tokens = await browser.SignInAsync("acme", email, Password, register: true);

        using var attacker = new Browser(platform, "eu");
        for (var i = 1; i <= 5; i++)
        {
            using var wrong = await attacker.SubmitAsync("/acme/account/login", new() { ["email"] = email, ["password"] = $"guess-number-{i}" });
            Assert.Equal(i < 5 ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, wrong.StatusCode);
        }

        // locked: even the right password is not checked now
        using var locked = await attacker.SubmitAsync("/acme/account/login", new() { ["email"] = email, ["password"] = Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.True(int.Parse(locked.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 120);
        Assert.Contains("Too many failed attempts", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // the lock is about guessing passwords: the user's refresh token and session cookie keep working
        using var identity = platform.IdentityClient("eu");
        var refreshed = await EndUserTests.RefreshAsync(identity, (string)tokens["refresh_token"]!, HttpStatusCode.OK);
        Assert.NotNull(refreshed["access_token"]);
        var (verifier, challenge) = Tokens.Pkce();
        var code = await browser.AuthorizeCodeAsync(Browser.AuthorizeUrl("acme", challenge));
        Assert.NotNull((await browser.RedeemAsync("acme", code, verifier))["access_token"]);
    }

    [Fact]
    public async Task An_unknown_address_is_answered_and_locked_exactly_like_a_known_one()
    {
        using var owner = new Browser(platform, "eu");
        var known = $"kim-{Guid.NewGuid():N}@example.com";
        await owner.SignInAsync("acme", known, Password, register: true);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";

        using var attacker = new Browser(platform, "eu");
        var answers = new Dictionary<string, List<string>>();
        foreach (var email in new[] { known, unknown })
        {
            answers[email] = [];
            for (var i = 1; i <= 6; i++)
            {
                using var response = await attacker.SubmitAsync("/acme/account/login", new() { ["email"] = email, ["password"] = $"guess-{i}-of-many" });
                var error = Regex.Match(await response.Content.ReadAsStringAsync(), "role=\"alert\">([^<]*)<").Groups[1].Value;
                // the seconds a lock has left may differ between the two runs
                answers[email].Add($"{(int)response.StatusCode} {Regex.Replace(error, "[0-9]+ seconds", "N seconds")}");
            }
        }

        Assert.Equal(answers[known], answers[unknown]);
        Assert.Equal(["401", "401", "401", "401", "429", "429"], answers[unknown].Select(a => a[..3]));
    }

    [Fact]
    public async Task Registration_refuses_weak_input_and_does_not_tell_whether_an_address_has_an_account()
    {
        using var browser = new Browser(platform, "eu");
        using var weak = await browser.SubmitAsync("/acme/account/register", new() { ["email"] = "not-an-email", ["password"] = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        var html = await weak.Content.ReadAsStringAsync();
        Assert.Contains("email", html, StringComparison.Ordinal);
        Assert.Contains("password", html, StringComparison.Ordinal);

        var existing = $"gina-{Guid.NewGuid():N}@example.com";
        await browser.SignInAsync("acme", existing, Password, register: true);
        var fresh = $"hugo-{Guid.NewGuid():N}@example.com";

        // the same answer whether the address has an account or not; the e-mail tells its owner which it was
        using var again = new Browser(platform, "eu");
        using var duplicate = await again.SubmitAsync("/acme/account/register", new() { ["email"] = existing.ToUpperInvariant(), ["password"] = "another-password-1" });
        using var newcomer = await again.SubmitAsync("/acme/account/register", new() { ["email"] = fresh.ToUpperInvariant(), ["password"] = "another-password-1" });
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Equal(newcomer.StatusCode, duplicate.StatusCode);
        Assert.Equal(Page(await newcomer.Content.ReadAsStringAsync(), fresh), Page(await duplicate.Content.ReadAsStringAsync(), existing));
        Assert.Equal(newcomer.Headers.Contains("Set-Cookie"), duplicate.Headers.Contains("Set-Cookie"));
        Assert.Equal(["account_verification", "account_exists"], await MailKindsAsync("reseller_acme", existing));
        Assert.Equal(["account_verification"], await MailKindsAsync("reseller_acme", fresh));

        // registering signs nobody in: the existing account keeps its own password only
        using var stranger = await again.SubmitAsync("/acme/account/login", new() { ["email"] = existing, ["password"] = "another-password-1" });
        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);

        // the same address is free at another reseller: user bases are separate
        using var globex = new Browser(platform, "eu");
        await globex.SignInAsync("globex", existing, Password, register: true);
    }

    /// <summary>A registration answer without what differs by request: the antiforgery token and the address typed.</summary>
    private static string Page(string html, string email) =>
        Regex.Replace(html, "name=\"__RequestVerificationToken\" value=\"[^\"]*\"", "").Replace(email.ToUpperInvariant(), "EMAIL", StringComparison.Ordinal);

    private async Task<List<string>> MailKindsAsync(string database, string email)
    {
        await using var conn = await platform.OpenDatabaseAsync("eu", database);
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT kind FROM mailbox WHERE lower(to_address) = lower($1) ORDER BY created_at", conn);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = email });
        var kinds = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            kinds.Add(reader.GetString(0));
        }

        return kinds;
    }
}
