namespace TicketAspire.Payments.Simulator.Model;

/// <summary>Why the last attempt of an intent failed.</summary>
/// <param name="Code">Always <c>card_declined</c> for the simulator's cards.</param>
/// <param name="DeclineCode"><c>generic_decline</c>, <c>insufficient_funds</c>, …</param>
/// <param name="Message">A sentence for logs, not for buyers.</param>
public sealed record PaymentError(string Code, string? DeclineCode, string Message);
