using System.Security.Cryptography;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>Random, prefixed identifiers (<c>pi_…</c>, <c>re_…</c>, <c>evt_…</c>) as a card PSP issues them.</summary>
public static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary><paramref name="prefix"/> followed by 24 random base-62 characters.</summary>
    public static string New(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, 24);

    /// <summary>The client secret of an intent: <c>{id}_secret_{random}</c>.</summary>
    public static string ClientSecret(string intentId) => $"{intentId}_secret_{RandomNumberGenerator.GetString(Alphabet, 32)}";
}
