namespace TicketAspire.Inventory.Ledger;

/// <summary>How <see cref="LedgerReports.SalesAsync"/> groups its rows.</summary>
public enum SalesGrouping
{
    /// <summary>One row per event.</summary>
    Event = 0,

    /// <summary>One row per ticket class, plus one row (no key) for order-level amounts: fees, tax and what refunds and chargebacks cost beyond the tickets.</summary>
    Class = 1,

    /// <summary>One row per UTC day of the entries' occurrence.</summary>
    Day = 2,
}
