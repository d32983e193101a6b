using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using TicketAspire.Payments.Simulator.Model;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>
/// Intents, refunds, disputes and fraud warnings in SQLite. Every state change is one write transaction that also
/// stores its webhook event (<see cref="WebhookOutbox"/>) and any later work (<c>scheduled_work</c>).
/// </summary>
public sealed class PaymentStore(PspDatabase db, WebhookOutbox outbox, TimeProvider time, IOptions<PspOptions> options, ILogger<PaymentStore> logger)
{
    private const string IntentColumns =
        "id, status, amount, currency, description, client_secret, metadata, created, last_payment_error, amount_refunded, disputed, fraud_flagged, attempts";

    /// <summary>Creates an intent in <c>requires_confirmation</c>.</summary>
    public async Task<PaymentIntent> CreateIntentAsync(long amount, string currency, string? description, IReadOnlyDictionary<string, string> metadata)
    {
        var id = Ids.New("pi_");
        var intent = new PaymentIntent(id, PaymentIntentStatus.RequiresConfirmation, amount, currency, description, Ids.ClientSecret(id),
            metadata, time.GetUtcNow().ToUnixTimeSeconds(), null, 0, false, false);
        await db.WriteAsync((c, tx) => Sql.ExecuteAsync(c, tx,
            """
            INSERT INTO payment_intents (id, client_secret, status, amount, currency, description, metadata, created)
            VALUES ($id, $secret, $status, $amount, $currency, $description, $metadata, $created)
            """,
            ("$id", id), ("$secret", intent.ClientSecret), ("$status", StatusName(intent.Status)), ("$amount", amount),
            ("$currency", currency), ("$description", description), ("$metadata", JsonSerializer.Serialize(metadata)), ("$created", intent.Created)));
        Log.IntentCreated(logger, id, amount, currency);
        return intent;
    }

    /// <summary>The intent, or <c>null</c>.</summary>
    public Task<PaymentIntent?> GetIntentAsync(string id) => db.ReadAsync(async c => (await ReadIntentsAsync(c, null, id)).Item1);

    /// <summary>
    /// Confirms the intent with <paramref name="cardNumber"/> (a new attempt): checks the client secret and the status,
    /// applies the card's outcome, stores the webhook event and schedules what happens later.
    /// </summary>
    public Task<StoreResult<PaymentIntent>> ConfirmAsync(string id, string clientSecret, string cardNumber) => db.WriteAsync(async (c, tx) =>
    {
        var (intent, attempts) = await ReadIntentsAsync(c, tx, id);
        if (intent is null)
        {
            return StoreResult<PaymentIntent>.Fail(PspProblems.Codes.PaymentIntentNotFound, $"No payment intent '{id}'.");
        }

        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(intent.ClientSecret), System.Text.Encoding.UTF8.GetBytes(clientSecret)))
        {
            return StoreResult<PaymentIntent>.Fail(PspProblems.Codes.InvalidClientSecret, "The client_secret does not belong to this payment intent.");
        }

        if (intent.Status is not (PaymentIntentStatus.RequiresConfirmation or PaymentIntentStatus.RequiresPaymentMethod))
        {
            return StoreResult<PaymentIntent>.Fail(PspProblems.Codes.PaymentIntentUnexpectedState,
                $"The payment intent is '{StatusName(intent.Status)}'; only 'requires_confirmation' and 'requires_payment_method' can be confirmed.");
        }

        if (TestCards.Outcome(cardNumber) is not { } outcome)
        {
            return StoreResult<PaymentIntent>.Fail(PspProblems.Codes.InvalidCardNumber, "The card number is not a valid 16-digit card number.");
        }

        var now = time.GetUtcNow();
        var attempt = attempts + 1;
        var o = options.Value;
        var updated = outcome.Result switch
        {
            CardResult.Declined => intent with { Status = PaymentIntentStatus.RequiresPaymentMethod, LastPaymentError = outcome.Error },
            CardResult.ProcessingThenSucceeded or CardResult.ProcessingThenFailed => intent with { Status = PaymentIntentStatus.Processing, LastPaymentError = null },
            _ => intent with { Status = PaymentIntentStatus.Succeeded, LastPaymentError = null },
        };
        await UpdateIntentAsync(c, tx, updated, attempt, cardNumber[^4..]);
        switch (outcome.Result)
        {
            case CardResult.Declined:
                await outbox.AddAsync(c, tx, EventTypes.PaymentFailed, updated, id, now);
                break;
            case CardResult.ProcessingThenSucceeded:
                await ScheduleAsync(c, tx, id, WorkKinds.ProcessingSucceeds, now + o.AsyncDelay);
                break;
            case CardResult.ProcessingThenFailed:
                await ScheduleAsync(c, tx, id, WorkKinds.ProcessingFails, now + o.AsyncDelay);
                break;
            default:
                await outbox.AddAsync(c, tx, EventTypes.PaymentSucceeded, updated, id, now);
                if (outcome.Result == CardResult.SucceededThenDisputed)
                {
                    await ScheduleAsync(c, tx, id, WorkKinds.Dispute, now + o.DisputeDelay);
                }
                else if (outcome.Result == CardResult.SucceededThenFraudWarning)
                {
                    await ScheduleAsync(c, tx, id, WorkKinds.FraudWarning, now + o.FraudDelay);
                }

                break;
        }

        if (updated.Status == PaymentIntentStatus.RequiresPaymentMethod)
        {
            Log.IntentDeclined(logger, id, attempt, updated.LastPaymentError?.DeclineCode);
        }
        else
        {
            Log.IntentConfirmed(logger, id, attempt, updated.Status);
        }

        return StoreResult<PaymentIntent>.Ok(updated);
    });

    /// <summary>Refunds <paramref name="amount"/> (default: what remains refundable) of a succeeded intent.</summary>
    public Task<StoreResult<Refund>> CreateRefundAsync(string intentId, long? amount, string? reason) => db.WriteAsync(async (c, tx) =>
    {
        var (intent, _) = await ReadIntentsAsync(c, tx, intentId);
        if (intent is null)
        {
            return StoreResult<Refund>.Fail(PspProblems.Codes.PaymentIntentNotFound, $"No payment intent '{intentId}'.");
        }

        if (intent.Status != PaymentIntentStatus.Succeeded)
        {
            return StoreResult<Refund>.Fail(PspProblems.Codes.IntentNotRefundable, $"The payment intent is '{StatusName(intent.Status)}'; only 'succeeded' can be refunded.");
        }

        if (intent.Disputed)
        {
            return StoreResult<Refund>.Fail(PspProblems.Codes.ChargeDisputed, "The payment is disputed; the dispute settles it.");
        }

        var remaining = intent.Amount - intent.AmountRefunded;
        if (remaining == 0)
        {
            return StoreResult<Refund>.Fail(PspProblems.Codes.ChargeAlreadyRefunded, "The payment is already fully refunded.");
        }

        var refundAmount = amount ?? remaining;
        if (refundAmount > remaining)
        {
            return StoreResult<Refund>.Fail(PspProblems.Codes.AmountTooLarge, $"At most {remaining} can be refunded.");
        }

        var now = time.GetUtcNow();
        var refund = new Refund(Ids.New("re_"), intentId, refundAmount, intent.Currency, reason, "succeeded", now.ToUnixTimeSeconds(), intent.Metadata);
        await Sql.ExecuteAsync(c, tx,
            "INSERT INTO refunds (id, payment_intent, amount, currency, reason, status, created) VALUES ($id, $pi, $amount, $currency, $reason, $status, $created)",
            ("$id", refund.Id), ("$pi", intentId), ("$amount", refundAmount), ("$currency", refund.Currency), ("$reason", reason),
            ("$status", refund.Status), ("$created", refund.Created));
        await Sql.ExecuteAsync(c, tx, "UPDATE payment_intents SET amount_refunded = amount_refunded + $amount WHERE id = $id",
            ("$id", intentId), ("$amount", refundAmount));
        await outbox.AddAsync(c, tx, EventTypes.ChargeRefunded, refund, intentId, now);
        Log.RefundSucceeded(logger, refund.Id, refundAmount, intentId);
        return StoreResult<Refund>.Ok(refund);
    });

    /// <summary>The refund, or <c>null</c>.</summary>
    public Task<Refund?> GetRefundAsync(string id) => db.ReadAsync(async c =>
    {
        var rows = await Sql.QueryAsync(c, null,
            """
            SELECT r.id, r.payment_intent, r.amount, r.currency, r.reason, r.status, r.created, i.metadata
            FROM refunds r JOIN payment_intents i ON i.id = r.payment_intent WHERE r.id = $id
            """,
            r => new Refund(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.NullableString(4), r.GetString(5), r.GetInt64(6),
                Metadata(r.GetString(7))),
            ("$id", id));
        return rows.SingleOrDefault();
    });

    /// <summary>Scheduled work that is due, oldest first.</summary>
    public Task<List<ScheduledWork>> DueWorkAsync(int limit) => db.ReadAsync(c => Sql.QueryAsync(c, null,
        "SELECT id, payment_intent, kind FROM scheduled_work WHERE done_at IS NULL AND due_at <= $now ORDER BY due_at, id LIMIT $limit",
        r => new ScheduledWork(r.GetInt64(0), r.GetString(1), r.GetString(2)),
        ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()), ("$limit", limit)));

    /// <summary>Does one piece of scheduled work and marks it done, in one transaction (so it happens once, restart or not).</summary>
    public Task RunWorkAsync(ScheduledWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return db.WriteAsync(async (c, tx) =>
        {
            var marked = await Sql.ExecuteAsync(c, tx, "UPDATE scheduled_work SET done_at = $now WHERE id = $id AND done_at IS NULL",
                ("$id", work.Id), ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()));
            var (intent, _) = await ReadIntentsAsync(c, tx, work.PaymentIntent);
            if (marked == 0 || intent is null)
            {
                return false;
            }

            var now = time.GetUtcNow();
            switch (work.Kind)
            {
                case WorkKinds.ProcessingSucceeds or WorkKinds.ProcessingFails when intent.Status == PaymentIntentStatus.Processing:
                    var succeeded = work.Kind == WorkKinds.ProcessingSucceeds;
                    var updated = intent with
                    {
                        Status = succeeded ? PaymentIntentStatus.Succeeded : PaymentIntentStatus.RequiresPaymentMethod,
                        LastPaymentError = succeeded ? null : TestCards.ProcessingFailed,
                    };
                    await Sql.ExecuteAsync(c, tx, "UPDATE payment_intents SET status = $status, last_payment_error = $error WHERE id = $id",
                        ("$id", intent.Id), ("$status", StatusName(updated.Status)), ("$error", Error(updated.LastPaymentError)));
                    await outbox.AddAsync(c, tx, succeeded ? EventTypes.PaymentSucceeded : EventTypes.PaymentFailed, updated, intent.Id, now);
                    Log.IntentResolved(logger, intent.Id, updated.Status);
                    break;
                case WorkKinds.Dispute when intent.Status == PaymentIntentStatus.Succeeded && !intent.Disputed && intent.AmountRefunded < intent.Amount:
                    var dispute = new Dispute(Ids.New("dp_"), intent.Id, intent.Amount - intent.AmountRefunded, intent.Currency, "fraudulent",
                        options.Value.DisputeFeeMinor, now.ToUnixTimeSeconds(), intent.Metadata);
                    await Sql.ExecuteAsync(c, tx,
                        "INSERT INTO disputes (id, payment_intent, amount, currency, reason, fee, created) VALUES ($id, $pi, $amount, $currency, $reason, $fee, $created)",
                        ("$id", dispute.Id), ("$pi", intent.Id), ("$amount", dispute.Amount), ("$currency", dispute.Currency),
                        ("$reason", dispute.Reason), ("$fee", dispute.Fee), ("$created", dispute.Created));
                    await Sql.ExecuteAsync(c, tx, "UPDATE payment_intents SET disputed = 1 WHERE id = $id", ("$id", intent.Id));
                    await outbox.AddAsync(c, tx, EventTypes.DisputeCreated, dispute, intent.Id, now);
                    Log.DisputeCreated(logger, dispute.Id, intent.Id);
                    break;
                case WorkKinds.FraudWarning when intent.Status == PaymentIntentStatus.Succeeded:
                    var warning = new EarlyFraudWarning(Ids.New("issfr_"), intent.Id, "made_with_stolen_card", now.ToUnixTimeSeconds(), intent.Metadata);
                    await Sql.ExecuteAsync(c, tx,
                        "INSERT INTO early_fraud_warnings (id, payment_intent, fraud_type, created) VALUES ($id, $pi, $type, $created)",
                        ("$id", warning.Id), ("$pi", intent.Id), ("$type", warning.FraudType), ("$created", warning.Created));
                    await Sql.ExecuteAsync(c, tx, "UPDATE payment_intents SET fraud_flagged = 1 WHERE id = $id", ("$id", intent.Id));
                    await outbox.AddAsync(c, tx, EventTypes.EarlyFraudWarningCreated, warning, intent.Id, now);
                    Log.FraudWarningCreated(logger, warning.Id, intent.Id);
                    break;
                default:
                    // the intent moved on (e.g. refunded in full before the dispute was due): nothing left to do
                    break;
            }

            return true;
        });
    }

    /// <summary>The snake_case name of a status, as stored and serialized.</summary>
    public static string StatusName(PaymentIntentStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    private static async Task<(PaymentIntent?, int)> ReadIntentsAsync(SqliteConnection c, SqliteTransaction? tx, string id)
    {
        var rows = await Sql.QueryAsync(c, tx, $"SELECT {IntentColumns} FROM payment_intents WHERE id = $id", r => (new PaymentIntent(
                r.GetString(0), Enum.Parse<PaymentIntentStatus>(r.GetString(1).Replace("_", "", StringComparison.Ordinal), ignoreCase: true),
                r.GetInt64(2), r.GetString(3), r.NullableString(4), r.GetString(5), Metadata(r.GetString(6)), r.GetInt64(7),
                r.NullableString(8) is { } error ? JsonSerializer.Deserialize<PaymentError>(error) : null,
                r.GetInt64(9), r.GetInt64(10) != 0, r.GetInt64(11) != 0), r.GetInt32(12)),
            ("$id", id));
        return rows.Count == 0 ? (null, 0) : rows[0];
    }

    private static Task<int> UpdateIntentAsync(SqliteConnection c, SqliteTransaction tx, PaymentIntent intent, int attempts, string last4) =>
        Sql.ExecuteAsync(c, tx,
            "UPDATE payment_intents SET status = $status, last_payment_error = $error, attempts = $attempts, card_last4 = $last4 WHERE id = $id",
            ("$id", intent.Id), ("$status", StatusName(intent.Status)), ("$error", Error(intent.LastPaymentError)), ("$attempts", attempts), ("$last4", last4));

    private static Task<int> ScheduleAsync(SqliteConnection c, SqliteTransaction tx, string intentId, string kind, DateTimeOffset due) =>
        Sql.ExecuteAsync(c, tx, "INSERT INTO scheduled_work (payment_intent, kind, due_at) VALUES ($pi, $kind, $due)",
            ("$pi", intentId), ("$kind", kind), ("$due", due.ToUnixTimeMilliseconds()));

    private static string? Error(PaymentError? error) => error is null ? null : JsonSerializer.Serialize(error);

    private static Dictionary<string, string> Metadata(string json) => JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}

/// <summary>Kinds of <see cref="ScheduledWork"/>.</summary>
public static class WorkKinds
{
    /// <summary>A processing intent succeeds.</summary>
    public const string ProcessingSucceeds = "processing_succeeds";

    /// <summary>A processing intent is declined.</summary>
    public const string ProcessingFails = "processing_fails";

    /// <summary>A succeeded intent is disputed.</summary>
    public const string Dispute = "dispute";

    /// <summary>A succeeded intent gets an early fraud warning.</summary>
    public const string FraudWarning = "fraud_warning";
}

/// <summary>Something that happens to an intent later (<c>scheduled_work</c>).</summary>
public sealed record ScheduledWork(long Id, string PaymentIntent, string Kind);
