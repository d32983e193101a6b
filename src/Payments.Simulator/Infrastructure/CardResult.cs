namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>What a card does.</summary>
public enum CardResult
{
    /// <summary>Paid at once.</summary>
    Succeeded = 0,

    /// <summary>Declined at once.</summary>
    Declined = 1,

    /// <summary><c>processing</c>, then paid after <see cref="PspOptions.AsyncDelay"/>.</summary>
    ProcessingThenSucceeded = 2,

    /// <summary><c>processing</c>, then declined after <see cref="PspOptions.AsyncDelay"/>.</summary>
    ProcessingThenFailed = 3,

    /// <summary>Paid, then a chargeback after <see cref="PspOptions.DisputeDelay"/>.</summary>
    SucceededThenDisputed = 4,

    /// <summary>Paid, then an early fraud warning after <see cref="PspOptions.FraudDelay"/>.</summary>
    SucceededThenFraudWarning = 5,
}

