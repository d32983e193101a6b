namespace TicketAspire.Web.Extensions;

/// <summary>Names of the consoles' sessions (a cookie of its own beside the storefront's) and of their claims.</summary>
public static class ConsoleAuthentication
{
    /// <summary>The consoles' cookie scheme, also the authentication type of their session's identity.</summary>
    public const string Scheme = "console";

    /// <summary>Claim of the session naming which console it is for.</summary>
    public const string RoleClaim = "console_role";

    /// <summary>A reseller's administrator (the reseller console).</summary>
    public const string ResellerAdmin = "reseller_admin";

    /// <summary>A staff member of the cell (the support and operator console).</summary>
    public const string Staff = "staff";

    /// <summary>Claim of the session carrying one granted scope each.</summary>
    public const string ScopeClaim = "console_scope";
}
