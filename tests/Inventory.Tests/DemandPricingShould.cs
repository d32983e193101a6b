using TicketAspire.Inventory.Pricing;

namespace TicketAspire.Inventory.Tests;

/// <summary>The arithmetic of dynamic pricing: score, target, bounds, smoothing and rounding.</summary>
public sealed class DemandPricingShould
{
    private static readonly PricingOptions Options = new();
    private static readonly PriceRange Us = new(80, 200);

    [Fact]
    public void ScoreWeightedSignalsPer100UnitsOfTheEvent()
    {
        // 100 × (0.3 × 10 + 0.5 × 4 + 0.2 × 2) / 20 = 27
        Assert.Equal(27m, DemandPricing.Score(views: 10, holds: 4, sales: 2, capacity: 20, Options));
        Assert.Equal(0m, DemandPricing.Score(1000, 10, 10, capacity: 0, Options));
    }

    [Theory]
    [InlineData(0, 9_000)]       // below low: 90 %
    [InlineData(4.99, 9_000)]
    [InlineData(5, 10_000)]      // between low and medium: face value
    [InlineData(20, 10_000)]     // "above" is strict
    [InlineData(20.01, 12_000)]
    [InlineData(50.01, 15_000)]
    public void AimForTheThresholdsTarget(double score, int target) => Assert.Equal(target, DemandPricing.Target((decimal)score, Options));

    [Theory]
    [InlineData(25_000, null, 20_000)]    // the jurisdiction's maximum
    [InlineData(5_000, null, 8_000)]      // the jurisdiction's minimum
    [InlineData(15_000, 120, 12_000)]     // the event's cap is lower than the jurisdiction's
    [InlineData(8_000, 100, 8_000)]       // a cap at face value still lets the price fall
    [InlineData(15_000, 300, 15_000)]     // a cap above the jurisdiction's changes nothing
    public void ClampToTheJurisdictionsRangeThenTheEventsCap(int multiplier, int? cap, int expected) =>
        Assert.Equal(expected, DemandPricing.Clamp(multiplier, Us, cap));

    [Fact]
    public void LetTheEventsCapWinOverTheJurisdictionsMinimum() => Assert.Equal(10_000, DemandPricing.Clamp(8_000, new PriceRange(110, 200), 100));

    [Fact]
    public void MoveAtMostOneStepPerPassTowardsTheTarget()
    {
        var high = 60m;
        Assert.Equal(11_000, DemandPricing.Next(10_000, high, Us, null, Options));
        Assert.Equal(15_000, DemandPricing.Next(14_500, high, Us, null, Options));
        Assert.Equal(9_000, DemandPricing.Next(10_000, 0m, Us, null, Options));
        Assert.Equal(12_000, DemandPricing.Next(16_000, 30m, Us, 120, Options)); // a lowered cap applies at once, not step by step
        Assert.Equal(11_000, DemandPricing.Next(16_000, 0m, Us, 120, Options));
        Assert.Equal(10_000, DemandPricing.Next(10_000, high, Us, 100, Options));
    }

    [Fact]
    public void NeverLeaveTheBoundsWhateverTheSignals()
    {
        var current = DemandPricing.FaceValue;
        for (var pass = 0; pass < 50; pass++)
        {
            current = DemandPricing.Next(current, 1_000_000m, new PriceRange(80, 130), 125, Options);
            Assert.InRange(current, 8_000, 12_500);
        }

        Assert.Equal(12_500, current);
    }

    [Theory]
    [InlineData(5_000, 15_000, 7_500)]
    [InlineData(3_333, 11_500, 3_832)]    // 3,832.95 rounds down
    [InlineData(999, 8_000, 799)]         // 799.2
    [InlineData(1, 19_999, 1)]
    [InlineData(0, 20_000, 0)]
    public void PriceInWholeMinorUnitsRoundedDown(long face, int multiplier, long expected) =>
        Assert.Equal(expected, DemandPricing.Price(face, multiplier));

    [Fact]
    public void RefuseAPriceThatOverflows() => Assert.Throws<OverflowException>(() => DemandPricing.Price(long.MaxValue / 2, 20_000));

    [Fact]
    public void GiveTheFactorOfAMultiplier() => Assert.Equal(1.25m, DemandPricing.Factor(12_500));
}
