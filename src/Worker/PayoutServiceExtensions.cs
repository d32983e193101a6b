using TicketAspire.Inventory.Fees;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Options;

namespace TicketAspire.Worker;

/// <summary>Registers the payout worker and what it reads.</summary>
public static class PayoutServiceExtensions
{
    /// <summary>
    /// Fee plans (<c>Fees</c>, per reseller <c>Resellers:&lt;id&gt;:Fees</c>, as the API reads them; without a tax rate, which
    /// only a quote needs and the worker makes none), <see cref="PayoutOptions"/> and <see cref="PayoutWorker"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPayouts(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<FeePlan>().BindConfiguration("Fees").Validate(o => o.IsValid(), "Fees: invalid amounts").ValidateOnStart();
        services.ConfigurePerTenant<FeePlan, ResellerTenantInfo>((options, reseller) =>
            builder.Configuration.GetSection($"Resellers:{reseller.Id}:Fees").Bind(options));
        services.AddOptions<PayoutOptions>().BindConfiguration(PayoutOptions.SectionName)
            .Validate(o => o.Interval > TimeSpan.Zero, "Payouts: Interval must be positive").ValidateOnStart();
        services.AddHostedService<PayoutWorker>();
        return builder;
    }
}
