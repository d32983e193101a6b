namespace TicketAspire.Tenancy.Rules;

/// <summary>Where the resellers' own rule choices come from (<see cref="CatalogRuleOverrides"/> in a cell).</summary>
public interface IRuleOverrideSource
{
    /// <summary>Every reseller's override, by reseller id (resellers without one are absent).</summary>
    ValueTask<IReadOnlyDictionary<string, RuleOverride>> GetAllAsync(CancellationToken ct);
}
