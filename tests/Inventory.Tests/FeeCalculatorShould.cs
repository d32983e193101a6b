using TicketAspire.Inventory.Fees;

namespace TicketAspire.Inventory.Tests;

public sealed class FeeCalculatorShould
{
    private static readonly FeePlan PlatformOnly = new() { PlatformFeeFixedMinor = 0, ProcessingFeeBps = 0, ProcessingFeeFixedMinor = 0 };

    [Fact]
    public void ComputeEveryFeeOnTheAmountsBeforeIt()
    {
        var plan = new FeePlan { TaxRatePercent = 20 };

        var price = FeeCalculator.Quote(plan, 10_000, 2, "EUR");

        // platform 5 % + 0.50 × 2; tax 20 % of 106.00; processing 1.5 % of 127.20 = 1.908 → 1.91, + 0.25
        Assert.Equal(new PriceBreakdown(10_000, 600, 216, 2_120, 12_936, "EUR"), price);
    }

    [Theory]
    [InlineData(10, 1)]     // 0.5 rounds up
    [InlineData(9, 0)]      // 0.45 rounds down
    [InlineData(30, 2)]     // 1.5 rounds up
    [InlineData(29, 1)]     // 1.45 rounds down
    public void RoundThePlatformFeeHalfUp(long subtotal, long expectedFee) =>
        Assert.Equal(expectedFee, FeeCalculator.Quote(PlatformOnly, subtotal, 1, "EUR").PlatformFeeMinor);

    [Theory]
    [InlineData("10", 15, 2)]       // 1.5 → 2
    [InlineData("10", 14, 1)]       // 1.4 → 1
    [InlineData("7.25", 200, 15)]   // 14.5 → 15
    [InlineData("7.25", 199, 14)]   // 14.4275 → 14
    [InlineData("0", 1_000_000, 0)]
    public void RoundTaxHalfUp(string rate, long subtotal, long expectedTax)
    {
        var plan = new FeePlan { PlatformFeeBps = 0, PlatformFeeFixedMinor = 0, ProcessingFeeBps = 0, ProcessingFeeFixedMinor = 0,
            TaxRatePercent = decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(expectedTax, FeeCalculator.Quote(plan, subtotal, 1, "EUR").TaxMinor);
    }

    [Fact]
    public void ChargeTheFixedPlatformFeePerTicketAndTheFixedProcessingFeeOncePerPayment()
    {
        var plan = new FeePlan { PlatformFeeBps = 0, PlatformFeeFixedMinor = 99, ProcessingFeeBps = 0, ProcessingFeeFixedMinor = 30 };

        var price = FeeCalculator.Quote(plan, 1_000, 4, "USD");

        Assert.Equal((396L, 30L, 1_426L), (price.PlatformFeeMinor, price.ProcessingFeeMinor, price.TotalMinor));
    }

    [Fact]
    public void ChargeNoFeeForFreeTickets() =>
        Assert.Equal(new PriceBreakdown(0, 0, 0, 0, 0, "EUR"), FeeCalculator.Quote(new FeePlan { TaxRatePercent = 20 }, 0, 3, "EUR"));

    [Fact]
    public void HandleLargeAmountsExactly()
    {
        var price = FeeCalculator.Quote(new FeePlan { TaxRatePercent = 20 }, 1_000_000_000_000_000, 1_000, "EUR");

        Assert.Equal(50_000_000_050_000, price.PlatformFeeMinor);
        Assert.Equal(210_000_000_010_000, price.TaxMinor);
        Assert.Equal(price.SubtotalMinor + price.PlatformFeeMinor + price.TaxMinor + price.ProcessingFeeMinor, price.TotalMinor);
        Assert.True(price.IsConsistent);
    }

    [Theory]
    [InlineData(8_000_000_000_000_000_000, 1, 50)]     // fits, until tax is added
    [InlineData(long.MaxValue, 1, 50)]
    [InlineData(1_000, 3, long.MaxValue / 2)]           // the fixed fee × tickets
    public void ThrowOnOverflow(long subtotal, int tickets, long fixedFee) =>
        Assert.Throws<OverflowException>(() =>
            FeeCalculator.Quote(new FeePlan { TaxRatePercent = 20, PlatformFeeFixedMinor = fixedFee }, subtotal, tickets, "EUR"));

    [Fact]
    public void RejectNegativeInputAnInvalidPlanOrCurrency()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FeeCalculator.Quote(new FeePlan(), -1, 1, "EUR"));
        Assert.Throws<ArgumentOutOfRangeException>(() => FeeCalculator.Quote(new FeePlan(), 100, -1, "EUR"));
        Assert.Throws<ArgumentException>(() => FeeCalculator.Quote(new FeePlan { PlatformFeeBps = 10_001 }, 100, 1, "EUR"));
        Assert.Throws<ArgumentException>(() => FeeCalculator.Quote(new FeePlan { ProcessingFeeFixedMinor = -1 }, 100, 1, "EUR"));
        Assert.Throws<ArgumentException>(() => FeeCalculator.Quote(new FeePlan(), 100, 1, "eur"));
    }
}
