using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Payments;

/// <summary>A payment attempt of a hold: the price the buyer pays (fees shown before paying) and how to pay it at the PSP.</summary>
public sealed record PaymentView(
    Guid PaymentId,
    Guid HoldId,
    int Attempt,
    int AttemptsLeft,
    string Status,
    OrderPrice Price,
    DateTimeOffset HoldExpiresAt,
    PspPayment Psp);

/// <summary>The PSP side of a payment: the buyer's browser confirms it at <paramref name="ConfirmUrl"/> with the client secret.</summary>
public sealed record PspPayment(string PaymentIntentId, string ClientSecret, Uri ConfirmUrl);
