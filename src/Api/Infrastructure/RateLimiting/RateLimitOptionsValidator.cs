using Microsoft.Extensions.Options;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// Refuses rules and timeouts that make no sense, naming the configuration key; and each reseller's own budgets
/// (<c>Resellers:&lt;id&gt;:RateLimiting</c>): only the request budgets of <see cref="RateLimitOptions.ResellerKinds"/>,
/// within the same bounds.
/// </summary>
internal sealed class RateLimitOptionsValidator(IConfiguration? configuration = null) : IValidateOptions<RateLimitOptions>
{
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var errors = new List<string>();
        foreach (var kind in Enum.GetValues<PartitionKind>())
        {
            ValidateRule($"{RateLimitOptions.SectionName}:{kind}", options.RuleFor(kind), errors);
        }

        if (options.RedisTimeout <= TimeSpan.Zero || options.RedisTimeout > TimeSpan.FromSeconds(5))
        {
            errors.Add($"{RateLimitOptions.SectionName}:RedisTimeout must be more than 0 and at most 5 s (was {options.RedisTimeout}).");
        }

        if (options.RedisRetryDelay < TimeSpan.Zero || options.RedisRetryDelay > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{RateLimitOptions.SectionName}:RedisRetryDelay must be 0..10 min (was {options.RedisRetryDelay}).");
        }

        if (options.WarningInterval <= TimeSpan.Zero)
        {
            errors.Add($"{RateLimitOptions.SectionName}:WarningInterval must be positive (was {options.WarningInterval}).");
        }

        if (configuration is not null)
        {
            ValidateResellers(configuration, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The section of a reseller's own budgets.</summary>
    public static string ResellerSection(string reseller) => $"Resellers:{reseller}:{RateLimitOptions.SectionName}";

    private static void ValidateResellers(IConfiguration configuration, List<string> errors)
    {
        foreach (var reseller in configuration.GetSection("Resellers").GetChildren())
        {
            var section = configuration.GetSection(ResellerSection(reseller.Key));
            if (!section.Exists())
            {
                continue;
            }

            foreach (var child in section.GetChildren())
            {
                var key = $"{ResellerSection(reseller.Key)}:{child.Key}";
                if (!Enum.TryParse<PartitionKind>(child.Key, ignoreCase: true, out var kind) || !RateLimitOptions.ResellerKinds.Contains(kind))
                {
                    errors.Add($"{key} cannot be set per reseller (only {string.Join(", ", RateLimitOptions.ResellerKinds)}).");
                    continue;
                }

                var rule = new RateLimitRule(1, TimeSpan.FromMinutes(1));
                try
                {
                    child.Bind(rule);
                }
                catch (InvalidOperationException ex)
                {
                    errors.Add($"{key} is not a rule: {ex.Message}");
                    continue;
                }

                ValidateRule(key, rule, errors);
            }
        }
    }

    private static void ValidateRule(string key, RateLimitRule? rule, List<string> errors)
    {
        if (rule is null)
        {
            errors.Add($"{key} is required.");
            return;
        }

        if (rule.PermitLimit is < 1 or > 1_000_000)
        {
            errors.Add($"{key}:PermitLimit must be 1..1000000 (was {rule.PermitLimit}).");
        }

        if (rule.Window < TimeSpan.FromSeconds(1) || rule.Window > MaxWindow)
        {
            errors.Add($"{key}:Window must be 00:00:01..1.00:00:00 (was {rule.Window}).");
        }
    }
}
