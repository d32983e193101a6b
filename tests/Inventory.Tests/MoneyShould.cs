using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Tests;

public sealed class MoneyShould
{
    [Fact]
    public void AddAndSubtractAmountsOfTheSameCurrency()
    {
        var a = new Money(1050, "EUR");
        var b = new Money(250, "EUR");

        Assert.Equal(new Money(1300, "EUR"), a + b);
        Assert.Equal(new Money(800, "EUR"), a - b);
        Assert.Equal(new Money(-800, "EUR"), Money.Subtract(b, a));
        Assert.Equal(new Money(1300, "EUR"), Money.Add(Money.Zero("EUR") + a, b));
    }

    [Fact]
    public void RefuseToCombineDifferentCurrencies()
    {
        var euros = new Money(100, "EUR");
        var dollars = new Money(100, "USD");

        Assert.Throws<InvalidOperationException>(() => euros + dollars);
        Assert.Throws<InvalidOperationException>(() => euros - dollars);
    }

    [Fact]
    public void ThrowInsteadOfOverflowing()
    {
        var max = new Money(long.MaxValue, "EUR");
        var min = new Money(long.MinValue, "EUR");
        var one = new Money(1, "EUR");

        Assert.Throws<OverflowException>(() => max + one);
        Assert.Throws<OverflowException>(() => min - one);
    }

    [Theory]
    [InlineData("EUR", true)]
    [InlineData("CHF", true)]
    [InlineData("eur", false)]
    [InlineData("EU", false)]
    [InlineData("EURO", false)]
    [InlineData("E1R", false)]
    [InlineData(null, false)]
    public void RecognizeThreeLetterUpperCaseCurrencyCodes(string? code, bool expected)
    {
        Assert.Equal(expected, Money.IsCurrencyCode(code));
    }
}
