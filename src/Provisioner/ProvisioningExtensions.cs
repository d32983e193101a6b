using Microsoft.Extensions.Diagnostics.HealthChecks;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Provisioner;

/// <summary>The provisioner's services.</summary>
public static class ProvisioningExtensions
{
    public static IHostApplicationBuilder AddProvisioning(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<CellOptions>().BindConfiguration(CellOptions.SectionName);
        services.AddOptions<ResellerStorageOptions>().BindConfiguration(nameof(ResellerStorageOptions));
        services.AddOptions<ProvisionerOptions>().BindConfiguration(ProvisionerOptions.SectionName)
            .Validate(o => o.RedisKind is "garnet" or "redis-server", "Provisioner:RedisKind must be garnet or redis-server")
            .Validate(o => o.MaxAttempts >= 1 && o.PollInterval > TimeSpan.Zero, "Provisioner:MaxAttempts at least 1, PollInterval > 0")
            .ValidateOnStart();

        // the superuser: ConnectionStrings:postgres (the AppHost references the cell's server, as for the migrator)
        services.AddSingleton(sp => new CellDatabases(sp.GetRequiredService<IConfiguration>().GetConnectionString("postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:postgres is not configured.")));
        services.AddSingleton(sp => new ProvisioningJobs(sp.GetRequiredService<CellDatabases>().Catalog));
        services.AddSingleton<RedisServers>();
        services.AddSingleton<StepRunner>();
        services.AddSingleton<DatabaseExport>();
        services.AddScoped<Onboarding>();
        services.AddScoped<Offboarding>();
        services.AddHttpClient("api");
        services.AddSingleton<ProvisioningWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ProvisioningWorker>());
        services.AddHealthChecks().AddCheck<ProvisionerHealthCheck>("provisioner");
        return builder;
    }
}

/// <summary>Healthy once the onboarded resellers' Redis servers run again and jobs are being taken.</summary>
internal sealed class ProvisionerHealthCheck(ProvisioningWorker worker) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(worker.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("restoring the onboarded resellers' Redis servers"));
}
