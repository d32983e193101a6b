using System.Text.Json.Nodes;
using TicketAspire.Tenancy.Provisioning;

namespace TicketAspire.Provisioner;

/// <summary>A claimed job: an onboarding or offboarding of one reseller, with the steps done so far.</summary>
public sealed class ProvisioningJob(long id, string resellerId, string kind, JsonObject request, byte[]? sealedSecret, List<ProvisioningStep> steps)
{
    /// <summary>Job id.</summary>
    public long Id { get; } = id;

    /// <summary>The reseller.</summary>
    public string ResellerId { get; } = resellerId;

    /// <summary><c>onboard</c> or <c>offboard</c>.</summary>
    public string Kind { get; } = kind;

    /// <summary>The request (a registration for an onboarding; the reseller's catalog snapshot once an offboarding took it out).</summary>
    public JsonObject Request { get; } = request;

    /// <summary>The integrator client's secret, sealed, until the client is registered.</summary>
    public byte[]? SealedSecret { get; set; } = sealedSecret;

    /// <summary>Steps so far (of earlier attempts too).</summary>
    public List<ProvisioningStep> Steps { get; } = steps;
}
