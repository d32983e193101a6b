namespace TicketAspire.Api.Infrastructure.Abuse;

/// <summary>A hold attempt over a velocity budget: which one (<c>account</c> or <c>device</c>), and when to try again.</summary>
public sealed record VelocityRefusal(string Budget, int Limit, TimeSpan Window, long RetryAfterSeconds);
