using System.Security.Cryptography;
using System.Text;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Catalog;

namespace TicketAspire.Api.Apis;

/// <summary>
/// The cell's reseller hosts for the cell router, which polls it to serve resellers onboarded after it started. Outside
/// <c>/v1</c>, answered only with the router's key (<c>X-Directory-Key</c> = <c>Directory:Key</c>; anyone else gets 404),
/// from the API's in-memory catalog snapshot (no database read per call).
/// </summary>
public static class DirectoryApi
{
    /// <summary>The header carrying the key.</summary>
    public const string KeyHeader = "X-Directory-Key";

    public static IEndpointRouteBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/internal/directory", GetDirectory).WithName("GetCellDirectory").ExcludeFromDescription().ExcludeFromMultiTenantResolution();
        return app;
    }

    public static async Task<IResult> GetDirectory(HttpContext context, CatalogStore catalog, IConfiguration configuration)
    {
        var key = configuration["Directory:Key"];
        var given = context.Request.Headers[KeyHeader].ToString();
        if (string.IsNullOrEmpty(key) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(given)))
        {
            return TypedResults.NotFound();
        }

        var all = await catalog.GetAllAsync();
        return TypedResults.Ok(new CellDirectory([.. all.Select(r => new DirectoryEntry(r.Id, r.Name, r.Hosts))]));
    }
}

/// <summary>The cell's resellers and their hosts.</summary>
public sealed record CellDirectory(IReadOnlyList<DirectoryEntry> Resellers);

/// <summary>One reseller's name and hosts.</summary>
public sealed record DirectoryEntry(string Id, string Name, IReadOnlyList<string> Hosts);
