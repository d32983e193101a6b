namespace TicketAspire.Tenancy;

/// <summary>A tenant as Finbuckle.MultiTenant names it: a stable id and the identifier strategies resolve.</summary>
public interface ITenantInfo
{
    /// <summary>Stable, never reused id.</summary>
    string Id { get; }

    /// <summary>The value strategies produce and stores look up (for resellers: the reseller id, e.g. <c>acme</c>).</summary>
    string Identifier { get; }
}
