using System.Globalization;

namespace TicketAspire.Api.Apis;

/// <summary>The <c>page</c> (from 1) and <c>size</c> (1–100) query parameters shared by list endpoints.</summary>
public static class Paging
{
    public const int DefaultSize = 20;
    public const int MaxSize = 100;

    public static int Page(IQueryCollection query, Dictionary<string, string[]> errors) => Read(query, errors, "page", 1, 1, 100_000);

    public static int Size(IQueryCollection query, Dictionary<string, string[]> errors) => Read(query, errors, "size", DefaultSize, 1, MaxSize);

    private static int Read(IQueryCollection query, Dictionary<string, string[]> errors, string key, int fallback, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        var value = query[key].ToString().Trim();
        if (value.Length == 0)
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        errors[key] = [$"A whole number from {min} to {max}."];
        return fallback;
    }
}
