using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace TicketAspire.Worker;

/// <summary>Unhealthy when no sweep pass has succeeded for ten intervals (after a start-up grace period).</summary>
public sealed class HoldSweepHealthCheck(HoldSweepWorker worker, IOptions<SweepOptions> options, TimeProvider time) : IHealthCheck
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = options.Value.Interval * 10;
        var last = worker.LastSuccess ?? _started;
        var age = time.GetUtcNow() - last;
        return Task.FromResult(age <= limit
            ? HealthCheckResult.Healthy($"last sweep {age.TotalSeconds:F0}s ago; {worker.Released} holds released")
            : HealthCheckResult.Unhealthy($"no successful sweep for {age.TotalSeconds:F0}s"));
    }
}
