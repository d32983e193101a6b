using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>
/// The simulator's SQLite file (<c>psp.db</c> under <see cref="PspOptions.DataDir"/>) in WAL mode. Writes are serialized
/// by one in-process lock and run in an immediate transaction, so writers never meet <c>SQLITE_BUSY</c>; reads run
/// concurrently on their own connections.
/// </summary>
public sealed class PspDatabase : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string _connectionString;

    /// <summary>Opens (and on first use creates) the database.</summary>
    public PspDatabase(IOptions<PspOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var dir = Path.GetFullPath(options.Value.DataDir, environment.ContentRootPath);
        Directory.CreateDirectory(dir);
        FilePath = Path.Combine(dir, "psp.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
    }

    /// <summary>Full path of the SQLite file.</summary>
    public string FilePath { get; }

    /// <summary>Runs <paramref name="work"/> in an immediate transaction, one writer at a time; commits if it returns.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        // never cancelled: once started, a write completes even if the caller went away
        await _writeLock.WaitAsync(CancellationToken.None);
        try
        {
            await using var connection = Open();
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a connection of its own (a consistent snapshot per statement).</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = Open();
        return await work(connection);
    }

    /// <inheritdoc />
    public void Dispose() => _writeLock.Dispose();

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS payment_intents (
            id TEXT PRIMARY KEY,
            client_secret TEXT NOT NULL,
            status TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            currency TEXT NOT NULL,
            description TEXT,
            metadata TEXT NOT NULL,
            created INTEGER NOT NULL,
            last_payment_error TEXT,
            amount_refunded INTEGER NOT NULL DEFAULT 0 CHECK (amount_refunded BETWEEN 0 AND amount),
            disputed INTEGER NOT NULL DEFAULT 0,
            fraud_flagged INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            card_last4 TEXT);
        CREATE TABLE IF NOT EXISTS refunds (
            id TEXT PRIMARY KEY,
            payment_intent TEXT NOT NULL REFERENCES payment_intents (id),
            amount INTEGER NOT NULL CHECK (amount > 0),
            currency TEXT NOT NULL,
            reason TEXT,
            status TEXT NOT NULL,
            created INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS disputes (
            id TEXT PRIMARY KEY,
            payment_intent TEXT NOT NULL REFERENCES payment_intents (id),
            amount INTEGER NOT NULL,
            currency TEXT NOT NULL,
            reason TEXT NOT NULL,
            fee INTEGER NOT NULL,
            created INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS early_fraud_warnings (
            id TEXT PRIMARY KEY,
            payment_intent TEXT NOT NULL REFERENCES payment_intents (id),
            fraud_type TEXT NOT NULL,
            created INTEGER NOT NULL);
        -- what happens later to an intent (processing outcome, dispute, fraud warning); survives restarts
        CREATE TABLE IF NOT EXISTS scheduled_work (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            payment_intent TEXT NOT NULL REFERENCES payment_intents (id),
            kind TEXT NOT NULL,
            due_at INTEGER NOT NULL,
            done_at INTEGER);
        CREATE INDEX IF NOT EXISTS scheduled_work_due ON scheduled_work (due_at) WHERE done_at IS NULL;
        CREATE TABLE IF NOT EXISTS idempotency_keys (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            state TEXT NOT NULL,
            status INTEGER,
            content_type TEXT,
            body BLOB,
            created INTEGER NOT NULL,
            PRIMARY KEY (scope, key));
        -- the webhook outbox: written in the transaction of the change, delivered by WebhookSender
        CREATE TABLE IF NOT EXISTS webhook_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            payment_intent TEXT,
            created INTEGER NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_status INTEGER,
            last_error TEXT,
            delivered_at INTEGER);
        CREATE INDEX IF NOT EXISTS webhook_events_due ON webhook_events (next_attempt_at) WHERE state = 'pending';
        """;
}
