namespace TicketAspire.Inventory.Pricing;

/// <summary>The host's rules as a function (the API and the worker read them through their rule book).</summary>
public sealed class DelegatePriceRules(Func<CancellationToken, ValueTask<PriceRange?>> read) : IPriceRules
{
    /// <inheritdoc />
    public ValueTask<PriceRange?> DynamicPricingAsync(CancellationToken ct) => read(ct);
}
