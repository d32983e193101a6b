using System.Text;
using System.Text.Encodings.Web;
using TicketAspire.Identity.Infrastructure.Users;

namespace TicketAspire.Identity.Apis;

/// <summary>The small HTML pages of the end-user account flow (login, registration), one reseller at a time.</summary>
internal static class AccountPages
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static IResult Login(
        string reseller, string pathBase, string returnUrl, string antiforgery, string? email, string? error, int status = 200, bool registration = true) =>
        Page(status, $"Sign in to {reseller}", $"""
            {Error(error)}
            <form method="post" action="{Html.Encode(pathBase)}/account/login">
              <input type="hidden" name="__RequestVerificationToken" value="{Html.Encode(antiforgery)}">
              <input type="hidden" name="return_url" value="{Html.Encode(returnUrl)}">
              <label>E-mail <input name="email" type="email" autocomplete="username" required value="{Html.Encode(email ?? "")}"></label>
              <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
              <button type="submit">Sign in</button>
            </form>
            {(registration ? $"<p>No account? <a href=\"{Html.Encode(pathBase)}/account/register?return_url={Uri.EscapeDataString(returnUrl)}\">Create one</a></p>" : "")}
            """);

    public static IResult Register(string reseller, string pathBase, string returnUrl, string antiforgery, string? email, string? displayName,
        IReadOnlyDictionary<string, string>? errors, int status = 200)
    {
        var list = errors is null ? "" : string.Concat(errors.Select(e => $"<li>{Html.Encode(e.Key)}: {Html.Encode(e.Value)}</li>"));
        return Page(status, $"Create your {reseller} account", $"""
            {(list.Length == 0 ? "" : $"<ul class=\"error\">{list}</ul>")}
            <form method="post" action="{Html.Encode(pathBase)}/account/register">
              <input type="hidden" name="__RequestVerificationToken" value="{Html.Encode(antiforgery)}">
              <input type="hidden" name="return_url" value="{Html.Encode(returnUrl)}">
              <label>E-mail <input name="email" type="email" autocomplete="username" required value="{Html.Encode(email ?? "")}"></label>
              <label>Name <input name="display_name" autocomplete="name" value="{Html.Encode(displayName ?? "")}"></label>
              <label>Password (at least 10 characters) <input name="password" type="password" autocomplete="new-password" required minlength="10"></label>
              <button type="submit">Create account</button>
            </form>
            """);
    }

    /// <summary>The answer to every valid registration form, whether the address has an account or not.</summary>
    public static IResult CheckEmail(string email) => Page(200, "Check your e-mail", $"""
            <p>We sent an e-mail to {Html.Encode(email)}. It tells you how to go on; its link works for 24 hours.</p>
            """);

    /// <summary>The page of a registration link: the password chosen at registration makes the account.</summary>
    public static IResult Confirm(string reseller, string pathBase, string token, string returnUrl, string antiforgery, string? error, int status = 200) =>
        Page(status, $"Finish your {reseller} account", $"""
            {Error(error)}
            <form method="post" action="{Html.Encode(pathBase)}/account/verify">
              <input type="hidden" name="__RequestVerificationToken" value="{Html.Encode(antiforgery)}">
              <input type="hidden" name="token" value="{Html.Encode(token)}">
              <input type="hidden" name="return_url" value="{Html.Encode(returnUrl)}">
              <label>The password you chose <input name="password" type="password" autocomplete="current-password" required></label>
              <button type="submit">Create account</button>
            </form>
            """);

    public static IResult Invitation(string reseller, string pathBase, string token, string email, bool hasAccount, string antiforgery, string? error,
        IReadOnlyDictionary<string, string>? errors, string? displayName = null, int status = 200) =>
        Page(status, $"Administer {reseller}", $"""
            {Error(error)}
            <p>This invitation makes <strong>{Html.Encode(email)}</strong> an administrator of {Html.Encode(reseller)}'s console.</p>
            <form method="post" action="{Html.Encode(pathBase)}/account/invitation">
              <input type="hidden" name="__RequestVerificationToken" value="{Html.Encode(antiforgery)}">
              <input type="hidden" name="token" value="{Html.Encode(token)}">
            {(hasAccount
                ? """<label>The password of your account <input name="password" type="password" autocomplete="current-password" required></label>"""
                : $"""
                  <label>Your name <input name="display_name" value="{Html.Encode(displayName ?? "")}" autocomplete="name" maxlength="100"></label>{FieldError(errors, "display_name")}
                  <label>Choose a password (at least {UserStore.MinPasswordLength} characters) <input name="password" type="password" autocomplete="new-password" required minlength="{UserStore.MinPasswordLength}"></label>{FieldError(errors, "password")}
                  """)}
              <button type="submit">Accept the invitation</button>
            </form>
            """);

    public static IResult InvitationAccepted(string reseller, Uri console) => Page(200, "Invitation accepted", $"""
            <p>You are an administrator of {Html.Encode(reseller)}.</p>
            <p><a href="{Html.Encode(console.ToString())}">Open the console</a></p>
            """);

    private static string FieldError(IReadOnlyDictionary<string, string>? errors, string field) =>
        errors?.GetValueOrDefault(field) is { } message ? Error(message) : "";

    public static IResult Message(string title, string text, int status = 200) => Page(status, title, $"<p>{Html.Encode(text)}</p>");

    private static string Error(string? error) => error is null ? "" : $"<p class=\"error\" role=\"alert\">{Html.Encode(error)}</p>";

    private static IResult Page(int status, string title, string body)
    {
        var page = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(Html.Encode(title)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}")
            .Append("label{display:block;margin:.8rem 0}input{display:block;width:100%;padding:.4rem}")
            .Append("button{padding:.5rem 1rem}.error{color:#b00020}</style></head><body>")
            .Append("<h1>").Append(Html.Encode(title)).Append("</h1>").Append(body).Append("</body></html>");
        return Results.Content(page.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
