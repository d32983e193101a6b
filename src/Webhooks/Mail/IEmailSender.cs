namespace TicketAspire.Webhooks.Mail;

/// <summary>
/// Sends one rendered e-mail. The local implementation is <see cref="MailboxEmailSender"/>; an SMTP or provider adapter
/// implements the same interface. <see cref="EmailMessage.Id"/> is stable across retries: adapters use it as the
/// Message-ID or idempotency key so a retried send is not delivered twice.
/// </summary>
public interface IEmailSender
{
    /// <summary>Sends <paramref name="message"/>; throws when it was not accepted (the job is retried).</summary>
    Task SendAsync(EmailMessage message, CancellationToken ct);
}

/// <summary>A rendered e-mail of one reseller's end user.</summary>
/// <param name="Id">The mail job's id (idempotency key).</param>
/// <param name="Reseller">The reseller whose customer receives it.</param>
/// <param name="Kind">One of <see cref="MailKinds"/>.</param>
/// <param name="HtmlBody">Optional HTML alternative.</param>
public sealed record EmailMessage(
    Guid Id, string Reseller, string Kind, string From, string To, string Subject, string TextBody, string? HtmlBody, Guid? OrderId);
