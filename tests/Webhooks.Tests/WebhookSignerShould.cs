using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using TicketAspire.Webhooks.Services;
using TicketAspire.Webhooks.Tests.Infrastructure;

namespace TicketAspire.Webhooks.Tests;

public sealed class WebhookSignerShould
{
    [Fact]
    public void MatchTheStandardWebhooksTestVector()
    {
        // the reference vector of the Standard Webhooks libraries
        var signature = WebhookSigner.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void ProduceSignaturesTheIndependentVerifierAccepts()
    {
        var secret = WebhookSigner.NewSecret();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string Body = "{\"type\":\"hold.created\",\"data\":{\"hold_id\":\"x\"}}";

        var headers = Headers("msg_1", now, WebhookSigner.SignatureHeader([secret], "msg_1", now, Body));

        new StandardWebhook(secret).Verify(Body, headers);
    }

    [Fact]
    public void SignWithEverySecretSoEitherVerifies()
    {
        string oldSecret = WebhookSigner.NewSecret(), newSecret = WebhookSigner.NewSecret();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = WebhookSigner.SignatureHeader([newSecret, oldSecret], "msg_2", now, "{}");

        Assert.Equal(2, header.Split(' ').Length);
        IndependentVerifier.Verify(oldSecret, "{}", Headers("msg_2", now, header));
        IndependentVerifier.Verify(newSecret, "{}", Headers("msg_2", now, header));
        Assert.ThrowsAny<Exception>(() => IndependentVerifier.Verify(WebhookSigner.NewSecret(), "{}", Headers("msg_2", now, header)));
        Assert.ThrowsAny<Exception>(() => IndependentVerifier.Verify(newSecret, "{ }", Headers("msg_2", now, header)));
        Assert.ThrowsAny<Exception>(() => IndependentVerifier.Verify(newSecret, "{}", Headers("msg_3", now, header)));
    }

    [Fact]
    public void MakeSecretsOfThirtyTwoRandomBytes()
    {
        var a = WebhookSigner.NewSecret();
        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(a["whsec_".Length..]).Length);
        Assert.NotEqual(a, WebhookSigner.NewSecret());
    }

    internal static IHeaderDictionary Headers(string id, long timestamp, string signature) => new HeaderDictionary
    {
        ["webhook-id"] = id,
        ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["webhook-signature"] = signature,
    };
}
