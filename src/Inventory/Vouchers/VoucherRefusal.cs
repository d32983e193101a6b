namespace TicketAspire.Inventory.Vouchers;

/// <summary>Why a claim could not redeem a voucher (the values the claim statement answers).</summary>
public enum VoucherRefusal
{
    /// <summary>No voucher of the event has the code.</summary>
    Unknown = 1,

    /// <summary>The voucher is disabled, not valid yet or no longer valid.</summary>
    NotValidNow = 2,

    /// <summary>Every use of the voucher is taken (by live holds and orders).</summary>
    Exhausted = 3,

    /// <summary>The customer used the voucher as often as one customer may.</summary>
    CustomerLimit = 4,

    /// <summary>The voucher is for a class none of the requested units belongs to.</summary>
    NotApplicable = 5,
}
