using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.FeatureManagement;

namespace TicketAspire.Tenancy.Rules;

/// <summary>Registers the cell rules (Microsoft.FeatureManagement) and the resellers' overrides.</summary>
public static class RuleExtensions
{
    /// <summary>
    /// Cell defaults from <c>CellRules:*</c>, resellers' overrides from the catalog (<see cref="CatalogRuleOverrides"/>, a
    /// few seconds' cache), one feature per rule (<see cref="RuleDefinitionProvider"/>) and <see cref="RuleBook"/>.
    /// </summary>
    public static IServiceCollection AddCellRules(this IServiceCollection services)
    {
        services.AddOptions<CellRuleOptions>().BindConfiguration(CellRuleOptions.SectionName)
            .Validate(o => o.IsValid(), "CellRules: resale price cap 0..1000 %, dynamic price 1..100 % to 100..1000 %, data retention 1..36500 days, tax 0..100 %").ValidateOnStart();
        services.TryAddSingleton<CatalogRuleOverrides>();
        services.TryAddSingleton<IRuleOverrideSource>(sp => sp.GetRequiredService<CatalogRuleOverrides>());
        // ours, not the configuration provider AddFeatureManagement would add: rules come from the cell and the catalog
        services.AddSingleton<IFeatureDefinitionProvider, RuleDefinitionProvider>();
        services.AddFeatureManagement()
            .AddFeatureFilter<ResellerRuleFilter>()
            .WithTargeting<ResellerTargetingContextAccessor>();
        services.AddSingleton<RuleBook>();
        return services;
    }
}
