using TicketAspire.Inventory.CheckIn;
using Microsoft.Extensions.Logging;
using Npgsql;
using TicketAspire.Webhooks.Services;

namespace TicketAspire.Webhooks.Mail;

/// <summary>
/// Renders a reseller's pending mail jobs and hands them to the <see cref="IEmailSender"/>. A job is claimed with a lease
/// as deliveries are; a failed send is retried (5 s doubling up to an hour) and given up after 12 attempts.
/// </summary>
public sealed partial class MailSender(
    NpgsqlDataSource db, IEmailSender sender, WebhookOptions options, TimeProvider time, WebhookMetrics metrics, string reseller, ILogger logger,
    TicketSigner? signer = null)
{
    private const int MaxAttempts = 12;

    /// <summary>Sends up to <see cref="WebhookOptions.BatchSize"/> due jobs; returns how many were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var jobs = new List<(Guid Id, string Kind, string To, Guid? OrderId, string Payload, int Attempts)>();
        await using (var claim = db.CreateCommand("""
            WITH due AS (
                SELECT id FROM mail_jobs WHERE status = 'pending' AND next_attempt_at <= $1
                ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            UPDATE mail_jobs j SET next_attempt_at = $3 FROM due WHERE j.id = due.id
            RETURNING j.id, j.kind, j.to_address, j.order_id, j.payload::text, j.attempts
            """))
        {
            claim.Parameters.Add(new() { Value = now });
            claim.Parameters.Add(new() { Value = options.BatchSize });
            claim.Parameters.Add(new() { Value = now + options.LeaseTimeout });
            await using var reader = await claim.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                jobs.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.GetString(4), reader.GetInt32(5)));
            }
        }

        var renderer = new MailRenderer(db, signer is null ? null : (signer, reseller));
        var sent = 0;
        foreach (var job in jobs)
        {
            try
            {
                var mail = await renderer.RenderAsync(job.Kind, job.OrderId, job.Payload, ct);
                await sender.SendAsync(new EmailMessage(job.Id, reseller, job.Kind, options.MailFrom, job.To, mail.Subject, mail.TextBody, mail.HtmlBody, job.OrderId), ct);
                await UpdateAsync("UPDATE mail_jobs SET status = 'sent', attempts = attempts + 1, sent_at = $2, last_error = NULL WHERE id = $1", job.Id, time.GetUtcNow(), ct);
                metrics.MailSent(reseller);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var attempts = job.Attempts + 1;
                var wait = TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, attempts - 1)));
                await UpdateAsync(attempts >= MaxAttempts
                    ? "UPDATE mail_jobs SET status = 'failed', attempts = attempts + 1, last_error = $3 WHERE id = $1 AND $2 IS NOT NULL"
                    : "UPDATE mail_jobs SET attempts = attempts + 1, last_error = $3, next_attempt_at = $2 WHERE id = $1",
                    job.Id, time.GetUtcNow() + wait, ct, ex.Message);
                LogSendFailed(logger, job.Id, reseller, attempts, ex.Message);
            }
        }

        return sent;
    }

    private async Task UpdateAsync(string sql, Guid id, DateTimeOffset at, CancellationToken ct, string? error = null)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = at });
        if (sql.Contains("$3", StringComparison.Ordinal))
        {
            cmd.Parameters.Add(new() { Value = error ?? "" });
        }

        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail job {JobId} of reseller {Reseller} failed (attempt {Attempts}): {Error}")]
    private static partial void LogSendFailed(ILogger logger, Guid jobId, string reseller, int attempts, string error);
}
