using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace TicketAspire.Webhooks.Tests.Infrastructure;

/// <summary>
/// Verification with the StandardWebhooks package, one signature at a time: its 1.1.2 release fails on a
/// <c>webhook-signature</c> header with several space-separated signatures (which the spec allows and a rotation's
/// overlap produces), so each is checked on its own, as the README tells receivers using that package to do.
/// </summary>
public static class IndependentVerifier
{
    /// <summary>Throws unless one of the signatures verifies with <paramref name="secret"/>.</summary>
    public static void Verify(string secret, string body, IHeaderDictionary headers)
    {
        var webhook = new StandardWebhook(secret);
        Exception? last = null;
        foreach (var signature in headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var single = new HeaderDictionary();
            foreach (var (k, v) in headers)
            {
                single[k] = v;
            }

            single["webhook-signature"] = signature;
            try
            {
                webhook.Verify(body, single);
                return;
            }
            catch (StandardWebhooks.Diagnostics.WebhookVerificationException ex)
            {
                last = ex;
            }
        }

        throw last ?? new InvalidOperationException("no signature");
    }
}
