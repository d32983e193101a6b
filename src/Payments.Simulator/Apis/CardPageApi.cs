using System.Globalization;
using System.Net;
using System.Text;
using TicketAspire.Payments.Simulator.Infrastructure;
using TicketAspire.Payments.Simulator.Model;

namespace TicketAspire.Payments.Simulator.Apis;

/// <summary>
/// The PSP's hosted card page (<c>/pay/{intent}</c>): the buyer's browser is sent here by the storefront with the intent's
/// client secret and a return URL, types a card, and goes back to the return URL with <c>payment_intent</c> and
/// <c>redirect_status</c> (<c>succeeded</c>, <c>processing</c>, <c>failed</c>). The storefront never sees the card; the
/// platform learns the outcome from the PSP itself (confirm, webhooks), never from the return URL.
/// </summary>
public static class CardPageApi
{
    /// <summary>Maps <c>GET</c> and <c>POST /pay/{id}</c>.</summary>
    public static IEndpointRouteBuilder MapCardPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/pay/{id}", ShowAsync).WithName("CardPage").WithTags("Card page").ExcludeFromDescription();
        app.MapPost("/pay/{id}", PayAsync).WithName("PayOnCardPage").WithTags("Card page").ExcludeFromDescription()
            .WithMetadata(new PspOperation(PspOperation.ConfirmIntent)).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ShowAsync(string id, string? client_secret, string? return_url, PaymentStore store)
    {
        if (await Authorize(id, client_secret, return_url, store) is not { } intent)
        {
            return Page("Payment not found", "<p>This payment link is not valid.</p>", StatusCodes.Status404NotFound);
        }

        return Form(intent, return_url!, null, null);
    }

    private static async Task<IResult> PayAsync(string id, HttpRequest request, PaymentStore store)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        string secret = form["client_secret"].ToString(), returnUrl = form["return_url"].ToString(), card = form["card_number"].ToString();
        if (await Authorize(id, secret, returnUrl, store) is not { } intent)
        {
            return Page("Payment not found", "<p>This payment link is not valid.</p>", StatusCodes.Status404NotFound);
        }

        var digits = card.Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length == 0)
        {
            return Form(intent, returnUrl, card, "Enter the card number.");
        }

        var result = await store.ConfirmAsync(id, secret, digits);
        if (result.Value is not { } confirmed)
        {
            return result.ErrorCode == PspProblems.Codes.InvalidCardNumber
                ? Form(intent, returnUrl, card, "That is not a valid card number.")
                : Back(returnUrl, id, intent.Status == PaymentIntentStatus.Succeeded ? "succeeded" : "failed");
        }

        return Back(returnUrl, id, confirmed.Status switch
        {
            PaymentIntentStatus.Succeeded => "succeeded",
            PaymentIntentStatus.Processing => "processing",
            _ => "failed",
        });
    }

    /// <summary>The intent, when the secret is its own and the return URL is an absolute http(s) URL.</summary>
    private static async Task<PaymentIntent?> Authorize(string id, string? secret, string? returnUrl, PaymentStore store) =>
        Uri.TryCreate(returnUrl, UriKind.Absolute, out var back) && back.Scheme is "http" or "https"
        && await store.GetIntentAsync(id) is { } intent && string.Equals(intent.ClientSecret, secret, StringComparison.Ordinal)
            ? intent
            : null;

    private static IResult Back(string returnUrl, string id, string status)
    {
        var separator = returnUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{returnUrl}{separator}payment_intent={Uri.EscapeDataString(id)}&redirect_status={status}");
    }

    private static IResult Form(PaymentIntent intent, string returnUrl, string? card, string? error)
    {
        var amount = (intent.Amount / 100m).ToString("N2", CultureInfo.InvariantCulture) + " " + intent.Currency;
        if (intent.Status is not (PaymentIntentStatus.RequiresConfirmation or PaymentIntentStatus.RequiresPaymentMethod))
        {
            return Page("Already paid", $"<p>This payment is {Encode(intent.Status.ToString())}.</p><p><a href=\"{Encode(returnUrl)}\">Back to the shop</a></p>");
        }

        var html = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<p class=\"amount\">Amount: <strong data-testid=\"amount\">{Encode(amount)}</strong></p>")
            .Append(CultureInfo.InvariantCulture, $"<p>{Encode(intent.Description ?? "")}</p>");
        if (error is not null || intent.LastPaymentError is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"error\" role=\"alert\">{Encode(error ?? "The last card was declined: try another card.")}</p>");
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="/pay/{Encode(Uri.EscapeDataString(intent.Id))}">
              <input type="hidden" name="client_secret" value="{Encode(intent.ClientSecret)}">
              <input type="hidden" name="return_url" value="{Encode(returnUrl)}">
              <label>Card number <input name="card_number" inputmode="numeric" autocomplete="cc-number" required value="{Encode(card ?? "")}"></label>
              <label>Expiry (MM/YY) <input name="expiry" autocomplete="cc-exp" value="12/30"></label>
              <label>CVC <input name="cvc" inputmode="numeric" autocomplete="cc-csc" value="123"></label>
              <button type="submit">Pay {Encode(amount)}</button>
            </form>
            <p class="hint">Test cards: 4242 4242 4242 4242 (paid), 4000 0000 0000 0002 (declined).</p>
            <p><a href="{Encode(returnUrl)}">Cancel and go back</a></p>
            """);
        return Page("Pay by card", html.ToString());
    }

    private static IResult Page(string title, string body, int status = StatusCodes.Status200OK) =>
        Results.Content($$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Encode(title)}} – Payment service</title>
            <style>body{font-family:"Liberation Sans",Arial,sans-serif;background:#f3f4f6;color:#111827;margin:0}
            main{max-width:420px;margin:3rem auto;background:#fff;padding:2rem;border-radius:10px;box-shadow:0 2px 8px #0002}
            label{display:block;margin:.8rem 0;font-weight:600}input{display:block;width:100%;padding:.55rem;margin-top:.3rem;border:1px solid #6b7280;border-radius:4px;font:inherit;box-sizing:border-box}
            button{margin-top:1rem;width:100%;padding:.75rem;background:#111827;color:#fff;border:0;border-radius:6px;font:inherit;font-weight:700;cursor:pointer}
            .error{background:#fef2f2;color:#7f1d1d;border-left:4px solid #b91c1c;padding:.5rem .8rem}.hint{color:#4b5563;font-size:.9rem}
            .amount{font-size:1.2rem}header{font-weight:700;color:#374151}</style></head>
            <body><main><header>Payment service (test mode)</header><h1>{{Encode(title)}}</h1>{{body}}</main></body></html>
            """, "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
