namespace TicketAspire.AppHost.Tests;

/// <summary>The payment simulator's test cards (docs/payments.md §1).</summary>
internal static class Cards
{
    public const string Success = "4242424242424242";
    public const string Declined = "4000000000000002";
    public const string InsufficientFunds = "4000000000009995";
    public const string ProcessingThenSuccess = "4000000000000077";
    public const string ProcessingThenFailure = "4000000000000341";
    public const string Dispute = "4000000000000259";
    public const string Fraud = "4100000000000019";
}
