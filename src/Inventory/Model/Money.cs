namespace TicketAspire.Inventory.Model;

/// <summary>An amount in integer minor units (cents) of an ISO 4217 currency. Arithmetic is checked and currency-safe.</summary>
public readonly record struct Money(long MinorUnits, string Currency)
{
    /// <summary>Zero in <paramref name="currency"/>.</summary>
    public static Money Zero(string currency) => new(0, currency);

    /// <summary>Sum of two amounts of the same currency.</summary>
    public static Money operator +(Money a, Money b)
    {
        EnsureSameCurrency(a, b);
        return new Money(checked(a.MinorUnits + b.MinorUnits), a.Currency);
    }

    /// <summary>Difference of two amounts of the same currency.</summary>
    public static Money operator -(Money a, Money b)
    {
        EnsureSameCurrency(a, b);
        return new Money(checked(a.MinorUnits - b.MinorUnits), a.Currency);
    }

    /// <summary>Same as <c>+</c>.</summary>
    public static Money Add(Money a, Money b) => a + b;

    /// <summary>Same as <c>-</c>.</summary>
    public static Money Subtract(Money a, Money b) => a - b;

    /// <summary>True for a three-letter upper-case code.</summary>
    public static bool IsCurrencyCode(string? code) => code is { Length: 3 } && code.All(char.IsAsciiLetterUpper);

    private static void EnsureSameCurrency(Money a, Money b)
    {
        if (!string.Equals(a.Currency, b.Currency, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Cannot combine {a.Currency} and {b.Currency}.");
        }
    }
}
