using TicketAspire.Api.Infrastructure.Idempotency;

namespace TicketAspire.Api.Tests;

public sealed class IdempotencyKeyShould
{
    [Theory]
    [InlineData("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", "8e03978e-40d5-43e8-bc93-6894a57f9324")]
    [InlineData("8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324")]
    [InlineData(" order-42 ", "order-42")]
    public void ReadStructuredStringsAndBareTokens(string header, string expected)
    {
        Assert.True(IdempotencyKey.TryParse(header, out var key));
        Assert.Equal(expected, key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("\"a\"b\"")]
    [InlineData("tab\there")]
    [InlineData("ünicode")]
    public void RefuseMalformedKeys(string header) => Assert.False(IdempotencyKey.TryParse(header, out _));

    [Fact]
    public void AcceptUpTo255Characters()
    {
        Assert.True(IdempotencyKey.TryParse(new string('k', 255), out _));
        Assert.False(IdempotencyKey.TryParse(new string('k', 256), out _));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, true)]
    [InlineData(202, false)]
    [InlineData(404, true)]
    [InlineData(409, true)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void StoreOnlyFinalAnswers(int status, bool stored) => Assert.Equal(stored, IdempotencyMiddleware.IsFinal(status));
}
