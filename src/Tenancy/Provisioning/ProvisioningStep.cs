namespace TicketAspire.Tenancy.Provisioning;

/// <summary>One step of an onboarding or offboarding run, as the provisioner records it and the operator API shows it.</summary>
/// <param name="Name">Step name (<c>database</c>, <c>migrations</c>, <c>login_role</c>, <c>redis</c>, <c>identity_clients</c>, <c>catalog</c>, <c>export</c>, …).</param>
/// <param name="State"><c>running</c>, <c>completed</c> or <c>failed</c>.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CompletedAt">When it ended.</param>
/// <param name="Detail">What it did (or why it failed).</param>
public sealed record ProvisioningStep(string Name, string State, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt = null, string? Detail = null)
{
    /// <summary>Milliseconds it took (null while running).</summary>
    public long? ElapsedMs => CompletedAt is { } end ? (long)(end - StartedAt).TotalMilliseconds : null;
}
