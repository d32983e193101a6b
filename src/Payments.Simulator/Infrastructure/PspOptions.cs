using System.Globalization;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>Settings of the simulator (configuration section <c>Psp</c>).</summary>
public sealed class PspOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Psp";

    /// <summary>Directory of the SQLite file (default <c>./.data/payments</c>, relative to the content root).</summary>
    public string DataDir { get; set; } = Path.Combine(".data", "payments");

    /// <summary>The platform's API key (<c>Authorization: Bearer …</c>); required.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>HMAC key (its UTF-8 bytes) of the webhook signatures; required when <see cref="WebhookUrl"/> is set.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>Where webhooks are sent; empty: events are stored, not sent.</summary>
    public string WebhookUrl { get; set; } = "";

    /// <summary>When a <c>processing</c> card resolves.</summary>
    public TimeSpan AsyncDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>When the dispute card's chargeback arrives after the payment succeeded.</summary>
    public TimeSpan DisputeDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When the fraud card's early fraud warning arrives after the payment succeeded.</summary>
    public TimeSpan FraudDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Fee of a dispute, in minor units of the intent's currency.</summary>
    public long DisputeFeeMinor { get; set; } = 1500;

    /// <summary>How long a <c>timeout</c> fault holds the answer (or until the client gives up).</summary>
    public TimeSpan TimeoutHold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Waits before each webhook retry; after the last one the event is marked failed.</summary>
    public IReadOnlyList<TimeSpan> WebhookRetrySchedule { get; set; } =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    /// <summary>Timeout of one webhook delivery attempt.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the background services look for due work.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Reads the section; durations accept <c>250ms</c>, <c>2s</c>, <c>5m</c>, <c>1h</c>, <c>3d</c> or <c>hh:mm:ss</c>.</summary>
    public void Bind(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        DataDir = section[nameof(DataDir)] is { Length: > 0 } dir ? dir : DataDir;
        ApiKey = section[nameof(ApiKey)] ?? ApiKey;
        WebhookSecret = section[nameof(WebhookSecret)] ?? WebhookSecret;
        WebhookUrl = section[nameof(WebhookUrl)] ?? WebhookUrl;
        AsyncDelay = Duration(section, nameof(AsyncDelay), AsyncDelay);
        DisputeDelay = Duration(section, nameof(DisputeDelay), DisputeDelay);
        FraudDelay = Duration(section, nameof(FraudDelay), FraudDelay);
        TimeoutHold = Duration(section, nameof(TimeoutHold), TimeoutHold);
        WebhookTimeout = Duration(section, nameof(WebhookTimeout), WebhookTimeout);
        PollInterval = Duration(section, nameof(PollInterval), PollInterval);
        if (section[nameof(DisputeFeeMinor)] is { Length: > 0 } fee)
        {
            DisputeFeeMinor = long.Parse(fee, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        if (section[nameof(WebhookRetrySchedule)] is { Length: > 0 } schedule)
        {
            WebhookRetrySchedule = [.. schedule.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => ParseDuration(s, nameof(WebhookRetrySchedule)))];
        }
    }

    /// <summary>Parses <c>250ms</c>, <c>2s</c>, <c>5m</c>, <c>1h</c>, <c>3d</c> or a <see cref="TimeSpan"/> (<c>00:00:02</c>).</summary>
    public static TimeSpan ParseDuration(string value, string key)
    {
        ArgumentNullException.ThrowIfNull(value);
        var (number, unit) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1.0)
            : value.EndsWith('s') ? (value[..^1], 1000.0)
            : value.EndsWith('m') ? (value[..^1], 60_000.0)
            : value.EndsWith('h') ? (value[..^1], 3_600_000.0)
            : value.EndsWith('d') ? (value[..^1], 86_400_000.0)
            : (null, 0);
        if (number is not null && double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            return TimeSpan.FromMilliseconds(n * unit);
        }

        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span)
            ? span
            : throw new InvalidOperationException($"Psp:{key}: '{value}' is not a duration (250ms, 2s, 5m, 1h, 3d or hh:mm:ss)");
    }

    private static TimeSpan Duration(IConfiguration section, string key, TimeSpan fallback) =>
        section[key] is { Length: > 0 } value ? ParseDuration(value, key) : fallback;
}
