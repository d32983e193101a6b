using TicketAspire.Payments.Simulator.Model;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>What happens when an intent is confirmed with a card number (see docs/payments.md, test cards).</summary>
public static class TestCards
{
    /// <summary>The outcome of <paramref name="cardNumber"/>; <c>null</c> if it is not a 16-digit number passing the Luhn check.</summary>
    public static CardOutcome? Outcome(string cardNumber) => cardNumber switch
    {
        "4000000000000002" => new CardOutcome(CardResult.Declined, Decline("generic_decline", "Your card was declined.")),
        "4000000000009995" => new CardOutcome(CardResult.Declined, Decline("insufficient_funds", "Your card has insufficient funds.")),
        "4000000000000077" => new CardOutcome(CardResult.ProcessingThenSucceeded, null),
        "4000000000000341" => new CardOutcome(CardResult.ProcessingThenFailed, null),
        "4000000000000259" => new CardOutcome(CardResult.SucceededThenDisputed, null),
        "4100000000000019" => new CardOutcome(CardResult.SucceededThenFraudWarning, null),
        _ when IsValidNumber(cardNumber) => new CardOutcome(CardResult.Succeeded, null),
        _ => null,
    };

    /// <summary>The error of an asynchronous attempt that failed after processing.</summary>
    public static PaymentError ProcessingFailed { get; } = Decline("generic_decline", "Your card was declined after processing.");

    /// <summary>16 ASCII digits with a valid Luhn check digit.</summary>
    public static bool IsValidNumber(string cardNumber)
    {
        if (cardNumber is not { Length: 16 } || !cardNumber.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < cardNumber.Length; i++)
        {
            var digit = cardNumber[cardNumber.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    private static PaymentError Decline(string declineCode, string message) => new("card_declined", declineCode, message);
}

