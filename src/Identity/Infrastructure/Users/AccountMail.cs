using TicketAspire.Webhooks.Mail;

namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>
/// The e-mails of registration, through the cell's <see cref="IEmailSender"/> (locally the reseller's mailbox, readable
/// at <c>GET /v1/mailbox</c>): the link that finishes a registration, or a note that the address already has an account.
/// </summary>
public sealed class AccountMail(IEmailSender sender, IConfiguration configuration)
{
    /// <summary>Kind of the e-mail with the registration link.</summary>
    public const string VerificationKind = "account_verification";

    /// <summary>Kind of the e-mail inviting an address to a reseller's console.</summary>
    public const string InvitationKind = "console_invitation";

    /// <summary>Kind of the e-mail telling an address's owner that it already has an account.</summary>
    public const string ExistsKind = "account_exists";

    private string From => configuration["AccountMail:From"] is { Length: > 0 } from ? from : "accounts@ticketaspire.invalid";

    /// <summary>The link that finishes a registration (valid <see cref="AccountRegistrations.LinkLifetime"/>).</summary>
    public Task SendVerificationAsync(string reseller, string resellerName, string to, Uri link, CancellationToken ct) =>
        sender.SendAsync(new EmailMessage(Guid.NewGuid(), reseller, VerificationKind, From, to, $"Confirm your {resellerName} account",
            $"""
            Someone, hopefully you, asked for a {resellerName} account with this e-mail address.

            To finish, open this link within {AccountRegistrations.LinkLifetime.TotalHours:0} hours and enter the password you chose:

            {link}

            If it was not you, ignore this e-mail: no account is made.
            """, null, null), ct);

    /// <summary>The note to the owner of an address that already has an account.</summary>
    public Task SendExistsAsync(string reseller, string resellerName, string to, Uri signIn, CancellationToken ct) =>
        sender.SendAsync(new EmailMessage(Guid.NewGuid(), reseller, ExistsKind, From, to, $"Your {resellerName} account",
            $"""
            Someone asked to create a {resellerName} account with this e-mail address, which already has one.

            If it was you, sign in instead: {signIn}

            If it was not you, there is nothing to do: your account did not change.
            """, null, null), ct);

    /// <summary>The invitation to a reseller's console (valid <see cref="ConsoleInvitations.LinkLifetime"/>).</summary>
    public Task SendInvitationAsync(string reseller, string resellerName, string to, Uri link, Uri console, CancellationToken ct) =>
        sender.SendAsync(new EmailMessage(Guid.NewGuid(), reseller, InvitationKind, From, to, $"Your {resellerName} console on TicketAspire",
            $"""
            {resellerName} is set up on TicketAspire, and this address is invited to administer it: events, sales,
            webhooks, API clients and support tickets, in the reseller console.

            To accept, open this link within {ConsoleInvitations.LinkLifetime.TotalDays:0} days and choose your password (or,
            if this address already has an account at {resellerName}, enter its password):

            {link}

            Afterwards the console is at {console}

            If you did not expect this, ignore this e-mail: nothing changes unless the link is used.
            """, null, null), ct);
}
