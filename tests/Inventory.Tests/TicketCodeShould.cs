using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Tests;

public sealed class TicketCodeShould
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    [Fact]
    public void StartWithThePrefixAndBe29CharactersLong()
    {
        var code = TicketCode.New();

        Assert.StartsWith("TA-", code, StringComparison.Ordinal);
        Assert.Equal(29, code.Length);
    }

    [Fact]
    public void UseOnlyTheCrockfordAlphabetAfterThePrefix()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => TicketCode.New()).ToList();

        Assert.All(codes, c => Assert.All(c[3..], ch => Assert.Contains(ch, Crockford)));
        // With 26 000 random characters every one of the 32 symbols shows up.
        Assert.Equal(Crockford.Length, codes.SelectMany(c => c[3..]).Distinct().Count());
    }

    [Fact]
    public void NeverRepeatACode()
    {
        var codes = Enumerable.Range(0, 100_000).Select(_ => TicketCode.New()).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
    }
}
