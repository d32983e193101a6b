using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TicketAspire.Inventory.Payments;

namespace TicketAspire.Inventory.Tests;

public sealed class PspWebhookShould
{
    private const string Secret = "psp-webhook-secret";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Body = """{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","metadata":{"reseller":"acme","hold_id":"h"}}}}""";

    private static string Sign(string id, string timestamp, string body, string secret = Secret) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    private static string Ts(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void AcceptAValidSignatureAndReadTheEvent()
    {
        var evt = PspWebhook.Verify(Body, "evt_1", Ts(Now), Sign("evt_1", Ts(Now), Body), Secret, Now, TimeSpan.FromMinutes(5));
        Assert.NotNull(evt);
        Assert.Equal("payment_intent.succeeded", evt.Type);
        Assert.Equal("acme", evt.Reseller);
        Assert.Equal("pi_1", evt.IntentId);
    }

    [Fact]
    public void AcceptWhenOneOfSeveralSignaturesMatches() =>
        Assert.NotNull(PspWebhook.Verify(Body, "evt_1", Ts(Now), $"v1,{Convert.ToBase64String(new byte[32])} {Sign("evt_1", Ts(Now), Body)}", Secret, Now, TimeSpan.FromMinutes(5)));

    [Theory]
    [InlineData("tampered body")]
    [InlineData("other secret")]
    [InlineData("other id")]
    [InlineData("stale timestamp")]
    [InlineData("future timestamp")]
    [InlineData("no v1 prefix")]
    [InlineData("missing id")]
    public void RefuseAnythingOff(string what)
    {
        var ts = what switch { "stale timestamp" => Ts(Now.AddMinutes(-6)), "future timestamp" => Ts(Now.AddMinutes(6)), _ => Ts(Now) };
        var body = what == "tampered body" ? Body.Replace("acme", "globex", StringComparison.Ordinal) : Body;
        var signature = what switch
        {
            "other secret" => Sign("evt_1", ts, Body, "another-secret"),
            "other id" => Sign("evt_2", ts, Body),
            "no v1 prefix" => Sign("evt_1", ts, Body)[3..],
            _ => Sign("evt_1", ts, Body),
        };
        Assert.Null(PspWebhook.Verify(body, what == "missing id" ? null : "evt_1", ts, signature, Secret, Now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("99999999999999999")]
    [InlineData("9223372036854775807")]
    public void RefuseATimestampBeyondTheCalendarWithoutThrowing(string timestamp) =>
        Assert.Null(PspWebhook.Verify(Body, "evt_1", timestamp, Sign("evt_1", timestamp, Body), Secret, Now, TimeSpan.FromMinutes(5)));

    [Fact]
    public void CheckTheHeadersAloneBeforeAnyBodyIsRead()
    {
        Assert.True(PspWebhook.HasFreshHeaders("evt_1", Ts(Now), "v1,x", Now, TimeSpan.FromMinutes(5)));
        Assert.False(PspWebhook.HasFreshHeaders("evt_1", Ts(Now.AddMinutes(-6)), "v1,x", Now, TimeSpan.FromMinutes(5)));
        Assert.False(PspWebhook.HasFreshHeaders(null, Ts(Now), "v1,x", Now, TimeSpan.FromMinutes(5)));
        Assert.False(PspWebhook.HasFreshHeaders("evt_1", Ts(Now), "", Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void TakeTheIntentOfADisputeFromItsPaymentIntentField()
    {
        const string body = """{"id":"evt_2","type":"charge.dispute.created","data":{"object":{"id":"dp_1","payment_intent":"pi_9","metadata":{"reseller":"acme"}}}}""";
        var evt = PspWebhook.Verify(body, "evt_2", Ts(Now), Sign("evt_2", Ts(Now), body), Secret, Now, TimeSpan.FromMinutes(5));
        Assert.Equal("pi_9", evt!.IntentId);
    }
}
