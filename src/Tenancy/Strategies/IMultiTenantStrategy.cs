namespace TicketAspire.Tenancy.Strategies;

/// <summary>Produces a tenant identifier from a context object (an <c>HttpContext</c> for web requests).</summary>
public interface IMultiTenantStrategy
{
    /// <summary>Name reported in the resolved context.</summary>
    string Name { get; }

    /// <summary>Higher runs first.</summary>
    int Priority { get; }

    /// <summary>The identifier, or null when this strategy has nothing to say about the context.</summary>
    Task<string?> GetIdentifierAsync(object context);
}
