namespace TicketAspire.Inventory.Pricing;

/// <summary>
/// Whether dynamic pricing applies to the current reseller, and within which range. The host implements it over its
/// rules (the cell's, narrowed by the reseller's override); without one, every price is the face value.
/// </summary>
public interface IPriceRules
{
    /// <summary>The range where dynamic pricing applies to the current reseller; null where it is off.</summary>
    ValueTask<PriceRange?> DynamicPricingAsync(CancellationToken ct);
}
