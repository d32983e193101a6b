using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TicketAspire.Webhooks.Services;

namespace TicketAspire.Worker;

/// <summary>Unhealthy when no webhook pass has succeeded for thirty poll intervals (at least a minute) after start.</summary>
public sealed class WebhookHealthCheck(WebhookWorker worker, IOptions<WebhookOptions> options, TimeProvider time) : IHealthCheck
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = TimeSpan.FromTicks(Math.Max(options.Value.PollInterval.Ticks * 30, TimeSpan.FromMinutes(1).Ticks));
        var age = time.GetUtcNow() - (worker.LastSuccess ?? _started);
        return Task.FromResult(age <= limit
            ? HealthCheckResult.Healthy($"last webhook pass {age.TotalSeconds:F0}s ago")
            : HealthCheckResult.Unhealthy($"no successful webhook pass for {age.TotalSeconds:F0}s"));
    }
}
