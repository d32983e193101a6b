namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// The <c>kubernetes</c> section of a cell file: what the publish mode (<c>deploy/overlays/&lt;cell&gt;/</c>) needs beyond
/// the cell itself. Every field is optional; a local run ignores the section.
/// </summary>
/// <param name="Namespace">The cell's namespace (default <c>ticketaspire-&lt;cell&gt;</c>).</param>
/// <param name="IdentityOrigin">Public origin of the cell's identity service, the issuers' prefix (default <c>http://identity.&lt;cell&gt;.localhost</c>).</param>
/// <param name="PaymentsOrigin">Public origin of the payment service the buyer's browser confirms payments at (default <c>http://payments.&lt;cell&gt;.localhost</c>).</param>
/// <param name="PaymentsUrl">In-cluster URL of the payment service; without it the cell runs the PSP simulator (<c>http://payments</c>).</param>
/// <param name="ApiMinReplicas">Fewest API pods (default 2).</param>
/// <param name="ApiMaxReplicas">Most API pods the autoscaler may run (default 10).</param>
public sealed record KubernetesSettings(
    string? Namespace = null,
    string? IdentityOrigin = null,
    string? PaymentsOrigin = null,
    string? PaymentsUrl = null,
    int? ApiMinReplicas = null,
    int? ApiMaxReplicas = null);
