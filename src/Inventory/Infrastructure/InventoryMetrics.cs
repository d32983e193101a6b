using System.Diagnostics.Metrics;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Infrastructure;

/// <summary>Domain meters (exported through OpenTelemetry to the dashboard).</summary>
public static class InventoryMetrics
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "TicketAspire.Inventory";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> EventsCreated = Meter.CreateCounter<long>("ticketaspire.events.created");
    public static readonly Counter<long> HoldsCreated = Meter.CreateCounter<long>("ticketaspire.holds.created");
    public static readonly Counter<long> HoldsConflicted = Meter.CreateCounter<long>("ticketaspire.holds.conflicted");
    public static readonly Counter<long> HoldsExpired = Meter.CreateCounter<long>("ticketaspire.holds.expired");
    public static readonly Counter<long> HoldsCancelled = Meter.CreateCounter<long>("ticketaspire.holds.cancelled");
    public static readonly Counter<long> TicketsSold = Meter.CreateCounter<long>("ticketaspire.tickets.sold");
    public static readonly Histogram<int> ClaimBatchSize = Meter.CreateHistogram<int>("ticketaspire.holds.claim_batch_size", "{claim}",
        "Claims sent to Postgres in one batch");
    public static readonly Counter<long> ClaimBatchesRetried = Meter.CreateCounter<long>("ticketaspire.holds.claim_batches_retried", "{batch}",
        "Batches that failed as a whole and whose claims ran again one by one");
}
