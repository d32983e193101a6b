using System.Security.Cryptography;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Tenancy.Tests;

public sealed class ResellerSecretsShould
{
    [Fact]
    public void DeriveTheSamePrintablePasswordForTheSameKeyAndRoleOnly()
    {
        var password = ResellerSecrets.DatabasePassword("cell-key", "reseller_fabrikam");

        Assert.Equal(password, ResellerSecrets.DatabasePassword("cell-key", "reseller_fabrikam"));
        Assert.NotEqual(password, ResellerSecrets.DatabasePassword("cell-key", "reseller_contoso"));
        Assert.NotEqual(password, ResellerSecrets.DatabasePassword("other-key", "reseller_fabrikam"));
        Assert.All(password, c => Assert.InRange(c, '!', '~'));
        Assert.Equal(43, password.Length);
    }

    [Fact]
    public void OpenASealedSecretWithTheSameKeyAndContextOnly()
    {
        var sealedSecret = ResellerSecrets.Seal("cell-key", "s3cret", ResellerSecrets.IntegratorSecretContext("fabrikam"));

        Assert.Equal("s3cret", ResellerSecrets.Open("cell-key", sealedSecret, ResellerSecrets.IntegratorSecretContext("fabrikam")));
        Assert.ThrowsAny<CryptographicException>(() => ResellerSecrets.Open("other-key", sealedSecret, ResellerSecrets.IntegratorSecretContext("fabrikam")));
        Assert.ThrowsAny<CryptographicException>(() => ResellerSecrets.Open("cell-key", sealedSecret, ResellerSecrets.IntegratorSecretContext("contoso")));
        sealedSecret[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => ResellerSecrets.Open("cell-key", sealedSecret, ResellerSecrets.IntegratorSecretContext("fabrikam")));
    }
}
