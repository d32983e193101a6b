using System.Net;
using TicketAspire.Webhooks.Services;

namespace TicketAspire.Webhooks.Tests;

public sealed class WebhookUrlPolicyShould
{
    private static WebhookUrlPolicy Policy(bool development, params string[] addresses) =>
        new(development, (_, _) => Task.FromResult(addresses.Select(IPAddress.Parse).ToArray()));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("::1")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("192.0.2.10")]
    [InlineData("198.18.0.1")]
    [InlineData("::")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2001:db8::1")]
    public void RefuseNonPublicAddresses(string address) => Assert.False(WebhookUrlPolicy.IsPublic(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.0.1")]
    [InlineData("11.0.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    public void AcceptPublicAddresses(string address) => Assert.True(WebhookUrlPolicy.IsPublic(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("http://hooks.example.com/in", "https")]
    [InlineData("ftp://hooks.example.com/in", "https")]
    [InlineData("hooks.example.com/in", "absolute")]
    [InlineData("/relative", "absolute")]
    [InlineData("https://user:pw@hooks.example.com/in", "user info")]
    [InlineData("https://localhost/in", "local name")]
    [InlineData("https://api.localhost/in", "local name")]
    [InlineData("https://printer.local/in", "local name")]
    [InlineData("https://metadata.google.internal/in", "local name")]
    [InlineData("https://intranet/in", "local name")]
    [InlineData("https://127.0.0.1/in", "non-public address")]
    [InlineData("https://[::1]/in", "non-public address")]
    [InlineData("https://169.254.169.254/latest/meta-data", "non-public address")]
    [InlineData("https://[::ffff:192.168.0.1]/in", "non-public address")]
    [InlineData("https://10.0.0.5:8443/in", "non-public address")]
    public async Task RefuseUrlsOutsideADevelopmentCell(string url, string reason)
    {
        var refusal = await Policy(development: false, "93.184.216.34").RefusalAsync(url, CancellationToken.None);

        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefuseAHostWhoseNameResolvesToAPrivateAddress()
    {
        // one public and one private answer: every address must be public
        var refusal = await Policy(false, "93.184.216.34", "10.0.0.7").RefusalAsync("https://rebind.example.com/in", CancellationToken.None);

        Assert.Equal("the host 'rebind.example.com' resolves to a non-public address", refusal);
    }

    [Theory]
    [InlineData("10.20.30.40")]
    [InlineData("fd00:ab::17")]
    [InlineData("169.254.169.254")]
    public async Task NotTellWhatAnInternalNameResolvesTo(string internalAddress)
    {
        // the answer of the cell's resolver would map the internal network for whoever registers URLs
        var refusal = await Policy(false, internalAddress).RefusalAsync("https://db.corp.example.com/in", CancellationToken.None);

        Assert.NotNull(refusal);
        Assert.DoesNotContain(internalAddress, refusal, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("non-public address", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptAnHttpsUrlOfAPublicHost() =>
        Assert.Null(await Policy(false, "93.184.216.34", "2606:4700:4700::1111").RefusalAsync("https://hooks.example.com/in?x=1", CancellationToken.None));

    [Theory]
    [InlineData("http://127.0.0.1:5000/hook")]
    [InlineData("http://localhost:5000/hook")]
    [InlineData("https://10.0.0.5/in")]
    public async Task AllowHttpAndLoopbackInADevelopmentCell(string url) =>
        Assert.Null(await Policy(true, "127.0.0.1").RefusalAsync(url, CancellationToken.None));

    [Fact]
    public async Task StillRefuseUserInfoInADevelopmentCell() =>
        Assert.NotNull(await Policy(true, "127.0.0.1").RefusalAsync("http://a:b@localhost/hook", CancellationToken.None));

    [Fact]
    public async Task RefuseAtConnectTimeWhatDnsTurnedPrivate()
    {
        // the deliverer's own connect callback: a registered host that now resolves to loopback is not connected to
        using var http = WebhookHttpClient.Create(new WebhookOptions(), development: false);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync("https://localhost:1/hook", new StringContent("{}")));

        Assert.Contains("no public address", error.Message, StringComparison.Ordinal);
        // the error is kept as the delivery's last_error, which the reseller reads: no resolver answers in it
        Assert.DoesNotContain("127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("::1", error.Message, StringComparison.Ordinal);
    }
}
