using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketAspire.Tenancy.Provisioning;

/// <summary>The JSON form of what the API and the provisioner exchange through the catalog (snake_case, as the API speaks).</summary>
public static class ProvisioningJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
