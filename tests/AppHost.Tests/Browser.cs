using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// An end user's browser against the identity service: a cookie jar, manual redirects, the HTML forms. Drives the
/// authorization code flow with PKCE the way a storefront sends its users through it.
/// </summary>
internal sealed partial class Browser(PlatformFixture platform, string cell) : IDisposable
{
    public const string Scopes = "openid email profile offline_access customer";

    private readonly HttpClient _http = platform.IdentityClient(cell);
    private readonly CookieContainer _cookies = new();

    public Uri Origin => _http.BaseAddress!;

    /// <summary>Sends a request with the jar's cookies and stores the ones it sets.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, Dictionary<string, string>? form = null)
    {
        var uri = new Uri(Origin, url);
        using var request = new HttpRequestMessage(method, uri) { Content = form is null ? null : new FormUrlEncodedContent(form) };
        var header = _cookies.GetCookieHeader(uri);
        if (header.Length > 0)
        {
            request.Headers.Add("Cookie", header);
        }

        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var cookie in setCookies)
            {
                _cookies.SetCookies(uri, cookie);
            }
        }

        return response;
    }

    /// <summary>The Cookie header the jar would send to <paramref name="url"/>.</summary>
    public string CookieHeader(string url) => _cookies.GetCookieHeader(new Uri(Origin, url));

    /// <summary>The authorize URL of <paramref name="reseller"/>'s storefront.</summary>
    public static string AuthorizeUrl(string reseller, string challenge, string state = "st", string scope = Scopes, string? extra = null, string cell = "eu") =>
        $"/{reseller}/connect/authorize?client_id={reseller}-storefront&response_type=code"
        + $"&redirect_uri={Uri.EscapeDataString(RedirectUri(reseller, cell))}&scope={Uri.EscapeDataString(scope)}"
        + $"&code_challenge={challenge}&code_challenge_method=S256&state={state}{extra}";

    /// <summary>The storefront's default redirect URI (the first host of the reseller in its cell file).</summary>
    public static string RedirectUri(string reseller, string cell = "eu") => $"http://{reseller}.{cell}.localhost/signin-oidc";

    /// <summary>Posts a form page's form (login or registration) with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pageUrl, Dictionary<string, string> fields)
    {
        using var page = await SendAsync(HttpMethod.Get, pageUrl);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{pageUrl}: {(int)page.StatusCode} {html}");
        var action = System.Net.WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
        var form = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(Hidden("__RequestVerificationToken").Match(html).Groups[1].Value),
            ["return_url"] = System.Net.WebUtility.HtmlDecode(Hidden("return_url").Match(html).Groups[1].Value),
        };
        return await SendAsync(HttpMethod.Post, action, form);
    }

    /// <summary>
    /// Signs <paramref name="email"/> in (registering first when <paramref name="register"/>) through
    /// <paramref name="reseller"/>'s authorize endpoint and exchanges the code: the storefront's tokens.
    /// </summary>
    public async Task<JsonObject> SignInAsync(string reseller, string email, string password, bool register, string scope = Scopes)
    {
        var (verifier, challenge) = Tokens.Pkce();
        var authorize = AuthorizeUrl(reseller, challenge, scope: scope, cell: cell);
        using var first = await SendAsync(HttpMethod.Get, authorize);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var login = first.Headers.Location!.PathOf();
        Assert.StartsWith($"/{reseller}/account/login", login, StringComparison.Ordinal);

        var returnUrl = Uri.EscapeDataString(authorize);
        using var posted = register
            ? await RegisterAsync(reseller, returnUrl, email, password)
            : await SubmitAsync(login, new() { ["email"] = email, ["password"] = password });
        Assert.True(posted.StatusCode == HttpStatusCode.Redirect, $"sign-in: {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");

        var code = await AuthorizeCodeAsync(posted.Headers.Location!.PathOf());
        return await RedeemAsync(reseller, code, verifier);
    }

    /// <summary>
    /// Registers as a user does: the form, then the link of the e-mail (read from the reseller's mailbox) with the password
    /// again. The answer is the link page's: a redirect to <paramref name="returnUrl"/>, signed in.
    /// </summary>
    private async Task<HttpResponseMessage> RegisterAsync(string reseller, string returnUrl, string email, string password)
    {
        using (var registered = await SubmitAsync($"/{reseller}/account/register?return_url={returnUrl}",
                   new() { ["email"] = email, ["password"] = password, ["display_name"] = "Test User" }))
        {
            Assert.True(registered.StatusCode == HttpStatusCode.OK, $"register: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
        }

        var link = await VerificationLinkAsync(reseller, email);
        var token = System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!;
        return await SubmitAsync(link.PathAndQuery, new() { ["token"] = token, ["password"] = password });
    }

    /// <summary>The link of the newest registration e-mail to <paramref name="email"/> in the reseller's mailbox.</summary>
    public async Task<Uri> VerificationLinkAsync(string reseller, string email)
    {
        await using var db = await platform.OpenDatabaseAsync(cell, $"reseller_{reseller}");
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT text_body FROM mailbox WHERE lower(to_address) = lower($1) AND kind = 'account_verification' ORDER BY created_at DESC LIMIT 1", db);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = email });
        var body = await cmd.ExecuteScalarAsync() as string ?? throw new InvalidOperationException($"no registration e-mail to {email}");
        return new Uri(VerifyLink().Match(body).Value);
    }

    /// <summary>Follows the authorize URL while signed in: the code from the redirect to the storefront.</summary>
    public async Task<string> AuthorizeCodeAsync(string authorizeUrl)
    {
        using var response = await SendAsync(HttpMethod.Get, authorizeUrl);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"authorize: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var location = response.Headers.Location!;
        Assert.False(location.Query.Contains("error=", StringComparison.Ordinal), location.ToString());
        return System.Web.HttpUtility.ParseQueryString(location.Query)["code"] ?? throw new InvalidOperationException($"no code in {location}");
    }

    /// <summary>Redeems a code at the token endpoint (public client: no secret, the PKCE verifier instead).</summary>
    public async Task<JsonObject> RedeemAsync(string reseller, string code, string verifier)
    {
        using var response = await Tokens.RequestAsync(_http, reseller, new()
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = $"{reseller}-storefront",
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = RedirectUri(reseller, cell),
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"code exchange: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>
    /// Signs <paramref name="email"/> in through <paramref name="issuer"/>'s authorize endpoint as client
    /// <paramref name="clientId"/>: the final redirect to the client (with a code, or with an error), and the PKCE verifier.
    /// </summary>
    public async Task<(Uri Location, string Verifier)> AuthorizeAsync(string issuer, string clientId, string redirectUri, string scope, string email, string password)
    {
        var (verifier, challenge) = Tokens.Pkce();
        var authorize = $"/{issuer}/connect/authorize?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(redirectUri)}"
            + $"&scope={Uri.EscapeDataString(scope)}&code_challenge={challenge}&code_challenge_method=S256&state=st";
        using var first = await SendAsync(HttpMethod.Get, authorize);
        Assert.True(first.StatusCode == HttpStatusCode.Redirect, $"authorize: {(int)first.StatusCode} {await first.Content.ReadAsStringAsync()}");
        var login = first.Headers.Location!.PathOf();
        if (!login.StartsWith($"/{issuer}/account/login", StringComparison.Ordinal))
        {
            return (first.Headers.Location!, verifier);   // signed in at the issuer already: straight back to the client
        }

        using var posted = await SubmitAsync(login, new() { ["email"] = email, ["password"] = password });
        Assert.True(posted.StatusCode == HttpStatusCode.Redirect, $"sign-in: {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
        using var back = await SendAsync(HttpMethod.Get, posted.Headers.Location!.PathOf());
        Assert.True(back.StatusCode == HttpStatusCode.Redirect, $"authorize: {(int)back.StatusCode} {await back.Content.ReadAsStringAsync()}");
        return (back.Headers.Location!, verifier);
    }

    /// <summary>Redeems a code of public client <paramref name="clientId"/> at <paramref name="issuer"/>.</summary>
    public async Task<HttpResponseMessage> RedeemAsync(string issuer, string clientId, string redirectUri, string code, string verifier) =>
        await Tokens.RequestAsync(_http, issuer, new()
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = redirectUri,
        });

    /// <summary>GET with a bearer token (userinfo).</summary>
    public async Task<HttpResponseMessage> GetWithTokenAsync(string url, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex(@"https?://\S+/account/verify\?\S+")]
    private static partial Regex VerifyLink();

    private static Regex Hidden(string name) => new($"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
}

/// <summary>Location header helpers.</summary>
internal static class LocationExtensions
{
    /// <summary>Path and query of a Location header, absolute or relative.</summary>
    public static string PathOf(this Uri location) => location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
}
