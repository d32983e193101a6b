namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>The throttle's answer to one attempt.</summary>
/// <param name="Allowed">The attempt may be evaluated.</param>
/// <param name="LockedUntil">When allowed: the lock this attempt started if it fails (it was the last free one); else when the lock ends.</param>
public readonly record struct ThrottleTicket(bool Allowed, DateTimeOffset? LockedUntil);
