using TicketAspire.Identity.Infrastructure.Users;

namespace TicketAspire.Identity.Tests;

/// <summary>The address rule of accounts, registrations and the guest grant (<see cref="UserStore.NormalizeEmail"/>).</summary>
public sealed class EmailAddressesShould
{
    [Theory]
    [InlineData("bob@example.com")]
    [InlineData("first.last+tickets@mail.example.co.uk")]
    public void AcceptAPlainAddress(string email) => Assert.NotNull(UserStore.NormalizeEmail(email));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bob")]
    [InlineData("@example.com")]
    [InlineData("bob@")]
    [InlineData("bob@example")]
    [InlineData("bob@example.")]
    [InlineData("bob@@example.com")]
    [InlineData("bob smith@example.com")]
    [InlineData("bob@example.com\r\nBcc: eve@example.com")]
    [InlineData("<bob@example.com>")]
    [InlineData("bob@example.com,eve@example.com")]
    public void RefuseWhatIsNotOneAddress(string? email) => Assert.Null(UserStore.NormalizeEmail(email));

    [Fact]
    public void RefuseAnAddressLongerThanAMailPath()
    {
        Assert.NotNull(UserStore.NormalizeEmail(new string('a', 254 - "@example.com".Length) + "@example.com"));
        Assert.Null(UserStore.NormalizeEmail(new string('a', 255 - "@example.com".Length) + "@example.com"));
    }
}
