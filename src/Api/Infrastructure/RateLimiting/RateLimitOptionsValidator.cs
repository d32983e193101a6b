using Microsoft.Extensions.Options;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>Refuses rules and timeouts that make no sense, naming the configuration key.</summary>
internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var errors = new List<string>();
        foreach (var kind in Enum.GetValues<PartitionKind>())
        {
            var key = $"{RateLimitOptions.SectionName}:{kind}";
            if (options.RuleFor(kind) is not { } rule)
            {
                errors.Add($"{key} is required.");
                continue;
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

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
