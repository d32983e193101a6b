using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Payments;

/// <summary>Conversions of <see cref="PriceBreakdown"/>.</summary>
public static class PriceExtensions
{
    /// <summary>The breakdown as money amounts.</summary>
    public static OrderPrice ToOrderPrice(this PriceBreakdown price)
    {
        ArgumentNullException.ThrowIfNull(price);
        return new OrderPrice(new Money(price.SubtotalMinor, price.Currency), new Money(price.PlatformFeeMinor, price.Currency),
            new Money(price.ProcessingFeeMinor, price.Currency), new Money(price.TaxMinor, price.Currency), new Money(price.TotalMinor, price.Currency),
            price.DiscountMinor > 0 ? new Money(price.DiscountMinor, price.Currency) : null);
    }
}
