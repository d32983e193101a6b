namespace TicketAspire.Inventory.Ledger;

/// <summary>
/// What voucher <paramref name="VoucherId"/> took off an order, per class: <see cref="ClassAmount.SubtotalMinor"/> is the
/// class's discount, <see cref="ClassAmount.Quantity"/> its tickets in the order.
/// </summary>
public sealed record VoucherDiscount(Guid VoucherId, IReadOnlyList<ClassAmount> Classes);
