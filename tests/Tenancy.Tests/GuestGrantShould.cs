using TicketAspire.Tenancy.Security;

namespace TicketAspire.Tenancy.Tests;

public sealed class GuestGrantShould
{
    [Theory]
    [InlineData("bob@example.com")]
    [InlineData("first.last+tickets@mail.example.co.uk")]
    public void AcceptAPlainAddress(string email) => Assert.True(GuestGrant.IsValidEmail(email));

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
    public void RefuseWhatIsNotOneAddress(string? email) => Assert.False(GuestGrant.IsValidEmail(email));

    [Fact]
    public void RefuseAnAddressLongerThanAMailPath()
    {
        Assert.True(GuestGrant.IsValidEmail(new string('a', 254 - "@example.com".Length) + "@example.com"));
        Assert.False(GuestGrant.IsValidEmail(new string('a', 255 - "@example.com".Length) + "@example.com"));
    }
}
