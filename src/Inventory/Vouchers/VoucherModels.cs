using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Vouchers;

/// <summary>
/// A voucher of an event: <paramref name="Kind"/> <c>percentage</c> (<paramref name="PercentOff"/> 1..100 off every
/// eligible ticket), <c>fixed_amount</c> (<paramref name="AmountOffMinor"/> off the hold, in the event's currency) or
/// <c>free_ticket</c> (the cheapest eligible ticket of the hold free); eligible tickets are all of the event's or those of
/// <paramref name="ClassId"/>. Valid from <paramref name="ValidFrom"/> until (before) <paramref name="ValidUntil"/> (either
/// open), at most <paramref name="MaxUses"/> holds in all and <paramref name="MaxUsesPerCustomer"/> per customer (null:
/// no limit).
/// </summary>
public sealed record CreateVoucherCommand(
    string? Code,
    string? Kind,
    int? PercentOff,
    long? AmountOffMinor,
    Guid? ClassId,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidUntil,
    int? MaxUses,
    int? MaxUsesPerCustomer);

/// <summary>
/// A voucher with its uses: <paramref name="Uses"/> counts the holds that redeem it now (live or confirmed: a hold that
/// lapsed or was released gave its use back), <paramref name="Redeemed"/> those confirmed into orders.
/// </summary>
public sealed record VoucherView(
    Guid Id,
    Guid EventId,
    string Code,
    string Kind,
    int? PercentOff,
    Money? AmountOff,
    Guid? ClassId,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidUntil,
    int? MaxUses,
    int? MaxUsesPerCustomer,
    long Uses,
    long Redeemed,
    long DiscountRedeemedMinor,
    bool Enabled,
    DateTimeOffset CreatedAt);

/// <summary>The vouchers of an event.</summary>
public sealed record VoucherList(IReadOnlyList<VoucherView> Vouchers);

/// <summary>The kinds of voucher.</summary>
public static class VoucherKinds
{
    /// <summary>A percentage off every eligible ticket.</summary>
    public const string Percentage = "percentage";

    /// <summary>A fixed amount off the hold's eligible tickets.</summary>
    public const string FixedAmount = "fixed_amount";

    /// <summary>The cheapest eligible ticket of the hold free.</summary>
    public const string FreeTicket = "free_ticket";
}
