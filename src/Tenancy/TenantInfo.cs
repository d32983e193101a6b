namespace TicketAspire.Tenancy;

/// <summary>Base tenant record.</summary>
public record TenantInfo(string Id, string Identifier) : ITenantInfo;
