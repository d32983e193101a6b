namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>Whose budget a request spends; each kind has its own rule in <see cref="RateLimitOptions"/>.</summary>
public enum PartitionKind
{
    /// <summary>An integrator's backend (client credentials), keyed by <c>client_id</c>.</summary>
    Integrator = 0,

    /// <summary>An end user of a reseller, keyed by <c>sub</c>.</summary>
    Customer = 1,

    /// <summary>An end user's writes (POST, PUT, PATCH, DELETE), a smaller budget of its own.</summary>
    CustomerWrite = 2,

    /// <summary>Reseller or platform staff, keyed by <c>sub</c>.</summary>
    Staff = 3,

    /// <summary>A caller without a token, keyed by client IP address (IPv6 by /64).</summary>
    Anonymous = 4,

    /// <summary>An anonymous caller's writes, a smaller budget of its own.</summary>
    AnonymousWrite = 5,

    /// <summary>Hold attempts of one account (customer reference), whoever sends them: the abuse guard's velocity limit.</summary>
    HoldsPerAccount = 6,

    /// <summary>Hold attempts from one device (an issued <c>X-Device-Id</c>, else the end user's or anonymous caller's IP).</summary>
    HoldsPerDevice = 7,

    /// <summary>Requests to the PSP's webhook endpoint, keyed by client IP address: a budget of its own.</summary>
    PspWebhook = 8,

    /// <summary>Device ids issued (<c>POST /v1/devices</c>), keyed by client IP address (IPv6 by /64).</summary>
    DeviceIds = 9,
}
