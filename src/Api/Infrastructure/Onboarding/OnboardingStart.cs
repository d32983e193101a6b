namespace TicketAspire.Api.Infrastructure.Onboarding;

/// <summary>What asking for an onboarding or offboarding gave: a job, or why not (a stable problem code).</summary>
/// <param name="JobId">The job, when accepted.</param>
/// <param name="ClientSecret">The integrator client's secret (onboarding only): shown to the operator once, never stored in clear.</param>
/// <param name="ConflictCode">Why it was refused (<c>reseller.exists</c>, <c>host.taken</c>, <c>provisioning.in_progress</c>, …).</param>
/// <param name="Detail">The refusal's explanation.</param>
public sealed record OnboardingStart(long? JobId, string? ClientSecret, string? ConflictCode = null, string? Detail = null)
{
    /// <summary>Refused with <paramref name="code"/>.</summary>
    public static OnboardingStart Refused(string code, string detail) => new(null, null, code, detail);
}
