namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>Marks an endpoint as a platform call: it needs <c>Authorization: Bearer {Psp:ApiKey}</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresApiKeyAttribute : Attribute;

/// <summary>Names an endpoint for fault injection (<c>create_intent</c>, <c>confirm_intent</c>, …).</summary>
public sealed record PspOperation(string Name)
{
    /// <summary><c>POST /v1/payment_intents</c>.</summary>
    public const string CreateIntent = "create_intent";

    /// <summary><c>GET /v1/payment_intents/{id}</c>.</summary>
    public const string RetrieveIntent = "retrieve_intent";

    /// <summary><c>POST /v1/payment_intents/{id}/confirm</c>.</summary>
    public const string ConfirmIntent = "confirm_intent";

    /// <summary><c>POST /v1/refunds</c>.</summary>
    public const string CreateRefund = "create_refund";

    /// <summary>Operations a fault can target (besides <c>*</c>, every one of them).</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { CreateIntent, RetrieveIntent, ConfirmIntent, CreateRefund, "retrieve_refund" };
}
