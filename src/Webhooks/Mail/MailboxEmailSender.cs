using Npgsql;

namespace TicketAspire.Webhooks.Mail;

/// <summary>
/// The local e-mail sender: writes each e-mail to the reseller's <c>mailbox</c> table (readable through the API) instead
/// of an SMTP server. Idempotent per mail job.
/// </summary>
/// <param name="mailboxOf">The database of a reseller's mailbox.</param>
public sealed class MailboxEmailSender(Func<string, CancellationToken, ValueTask<NpgsqlDataSource>> mailboxOf, TimeProvider time) : IEmailSender
{
    /// <inheritdoc />
    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var db = await mailboxOf(message.Reseller, ct);
        await using var cmd = db.CreateCommand("""
            INSERT INTO mailbox (id, mail_job_id, kind, from_address, to_address, subject, text_body, html_body, order_id, created_at)
            VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (mail_job_id) DO NOTHING
            """);
        cmd.Parameters.Add(new() { Value = message.Id });
        cmd.Parameters.Add(new() { Value = message.Kind });
        cmd.Parameters.Add(new() { Value = message.From });
        cmd.Parameters.Add(new() { Value = message.To });
        cmd.Parameters.Add(new() { Value = message.Subject });
        cmd.Parameters.Add(new() { Value = message.TextBody });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = message.HtmlBody, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<Guid?> { TypedValue = message.OrderId, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
