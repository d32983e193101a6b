namespace TicketAspire.Tenancy.Strategies;

/// <summary>Always produces the same identifier (tests, single-reseller tools).</summary>
public sealed class StaticStrategy(string identifier) : IMultiTenantStrategy
{
    /// <inheritdoc />
    public string Name => "static";

    /// <inheritdoc />
    public int Priority => 0;

    /// <inheritdoc />
    public Task<string?> GetIdentifierAsync(object context) => Task.FromResult<string?>(identifier);
}
