using Microsoft.Extensions.Configuration;
using TicketAspire.Payments.Simulator.Infrastructure;

namespace TicketAspire.Payments.Simulator.Tests;

public sealed class PspOptionsTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("2s", 2000)]
    [InlineData("1.5s", 1500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("3d", 259_200_000)]
    [InlineData("00:00:05", 5000)]
    public void Durations_read_as_units_or_time_spans(string value, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), PspOptions.ParseDuration(value, "X"));

    [Fact]
    public void The_default_retry_schedule_is_the_documented_one()
    {
        var options = new PspOptions();
        options.Bind(new ConfigurationBuilder().Build());

        Assert.Equal(new[] { 1, 5, 30, 120, 600, 3600 }, options.WebhookRetrySchedule.Select(d => (int)d.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(2), options.AsyncDelay);
        Assert.Equal(1500, options.DisputeFeeMinor);
    }

    [Fact]
    public void A_configured_retry_schedule_replaces_the_default()
    {
        var options = new PspOptions();
        options.Bind(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WebhookRetrySchedule"] = "1s, 10s" }).Build());

        Assert.Equal(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10) }, options.WebhookRetrySchedule);
    }

    [Fact]
    public void A_bad_duration_names_its_key() =>
        Assert.Contains("Psp:AsyncDelay", Assert.Throws<InvalidOperationException>(() => PspOptions.ParseDuration("soon", "AsyncDelay")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("4242424242424242", true)]
    [InlineData("4000000000000002", true)]
    [InlineData("4100000000000019", true)]
    [InlineData("4242424242424243", false)]
    [InlineData("424242424242424", false)]
    [InlineData("42424242424242a2", false)]
    public void Card_numbers_pass_the_luhn_check(string number, bool valid) => Assert.Equal(valid, TestCards.IsValidNumber(number));
}
