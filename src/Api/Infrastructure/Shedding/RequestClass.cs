namespace TicketAspire.Api.Infrastructure.Shedding;

/// <summary>What a request is, for shedding: browsing goes first, purchasing last, health never.</summary>
public enum RequestClass
{
    /// <summary>Not an API request (health, discovery, documentation): never shed.</summary>
    Exempt = 0,

    /// <summary>A read (GET, HEAD): events, seat maps, reports.</summary>
    Browse = 1,

    /// <summary>A write: holds, payment, confirm, cancel, PSP notifications.</summary>
    Purchase = 2,

    /// <summary>
    /// A Server-Sent Events stream (<c>…/stream</c>): a new one is refused like a read, but an open one lasts minutes and
    /// is neither a request in flight nor a latency sample.
    /// </summary>
    Stream = 3,
}
