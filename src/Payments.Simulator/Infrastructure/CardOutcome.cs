using TicketAspire.Payments.Simulator.Model;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>A card's result, with the decline reason of a declined card.</summary>
public sealed record CardOutcome(CardResult Result, PaymentError? Error);
