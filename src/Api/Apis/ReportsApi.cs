using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Inventory.Model;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Options;

namespace TicketAspire.Api.Apis;

/// <summary>
/// The reseller's reports, queries over its ledger in the cell's currency: sales, statement, payouts and the raw journal.
/// Amounts are integer minor units. <c>from</c> (inclusive) and <c>to</c> (exclusive) filter on when entries occurred;
/// <c>format=csv</c> or <c>Accept: text/csv</c> answers CSV with a header row.
/// </summary>
public static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/reports").WithTags("Reports").RequireAuthorization(ApiPolicies.ReportsRead);

        api.MapGet("/sales", GetSalesReport).WithName("GetSalesReport")
            .WithSummary("Tickets sold, gross sales, fees, tax, refunds, chargebacks and net, by event, class or day (from, to, group_by)");
        api.MapGet("/statement", GetStatement).WithName("GetStatement")
            .WithSummary("Period totals and account balances as of 'to'; net payable, reserved and the ledger's balance check (from, to)");
        api.MapGet("/payouts", GetPayoutForecast).WithName("GetPayoutForecast")
            .WithSummary("What the reseller will receive per event and when, and the payouts made");
        api.MapGet("/journal", ListJournal).WithName("ListJournal")
            .WithSummary("The raw journal entries with their lines, oldest first (order_id, page, size)");

        return api;
    }

    public static async Task<Results<Ok<SalesReport>, ContentHttpResult, ProblemHttpResult>> GetSalesReport(
        HttpContext context, LedgerReports reports, IOptions<CellOptions> cell, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (from, to, csv) = ReadPeriod(context.Request, errors);
        var groupBy = context.Request.Query["group_by"].ToString().Trim() switch
        {
            "" or "event" => SalesGrouping.Event,
            "class" => SalesGrouping.Class,
            "day" => SalesGrouping.Day,
            _ => Invalid(errors, "group_by", "One of: event, class, day.", SalesGrouping.Event),
        };
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        var currency = cell.Value.Currency;
        var rows = await reports.SalesAsync(currency, from, to, groupBy, ct);
        if (!csv)
        {
            return TypedResults.Ok(new SalesReport(currency, from, to, groupBy, rows));
        }

        var writer = new CsvWriter().Row("key", "label", "tickets_sold", "gross_sales", "discounts", "platform_fees", "processing_fees", "tax", "refunds", "chargebacks", "net", "currency");
        foreach (var r in rows)
        {
            writer.Row(r.Key, r.Label, r.TicketsSold, r.GrossSales, r.Discounts, r.PlatformFees, r.ProcessingFees, r.Tax, r.Refunds, r.Chargebacks, r.Net, r.Currency);
        }

        return Csv(context, "sales", writer);
    }

    public static async Task<Results<Ok<LedgerStatement>, ContentHttpResult, ProblemHttpResult>> GetStatement(
        HttpContext context, LedgerReports reports, IOptions<CellOptions> cell, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (from, to, csv) = ReadPeriod(context.Request, errors);
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        var s = await reports.StatementAsync(cell.Value.Currency, from, to, ct);
        if (!csv)
        {
            return TypedResults.Ok(s);
        }

        var writer = new CsvWriter().Row("section", "item", "amount_minor", "currency");
        foreach (var (item, amount) in new (string, long)[]
                 {
                     ("tickets_sold", s.TicketsSold), ("gross_sales", s.GrossSales), ("discounts", s.Discounts), ("platform_fees", s.PlatformFees), ("processing_fees", s.ProcessingFees),
                     ("tax", s.Tax), ("refunds", s.Refunds), ("chargebacks", s.Chargebacks), ("chargeback_fees", s.ChargebackFees),
                     ("fraud_reserved", s.FraudReserved), ("payouts", s.Payouts), ("net", s.Net),
                 })
        {
            writer.Row("period", item, amount, s.Currency);
        }

        foreach (var b in s.Balances)
        {
            writer.Row("balance", LedgerAccounts.Name(b.Account), b.Balance, s.Currency);
        }

        writer.Row("balance", "net_payable", s.NetPayable, s.Currency).Row("balance", "reserved", s.Reserved, s.Currency)
            .Row("check", "total_debits", s.TotalDebits, s.Currency).Row("check", "total_credits", s.TotalCredits, s.Currency);
        return Csv(context, "statement", writer);
    }

    public static async Task<Results<Ok<PayoutForecast>, ContentHttpResult, ProblemHttpResult>> GetPayoutForecast(
        HttpContext context, LedgerReports reports, IOptions<CellOptions> cell, ResellerScope scope, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var csv = ReadFormat(context.Request, errors);
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        var forecast = await reports.PayoutForecastAsync(scope.Fees, cell.Value.Currency, time.GetUtcNow(), ct);
        if (!csv)
        {
            return TypedResults.Ok(forecast);
        }

        var writer = new CsvWriter().Row("status", "event_id", "event_name", "date", "amount_minor", "currency", "payout_id");
        foreach (var u in forecast.Upcoming)
        {
            writer.Row(u.Status, u.EventId, u.EventName, u.PayoutOn, u.AmountMinor, forecast.Currency, null);
        }

        foreach (var p in forecast.Paid)
        {
            writer.Row("paid", p.EventId, p.EventName, p.PaidAt, p.AmountMinor, forecast.Currency, p.PayoutId);
        }

        return Csv(context, "payouts", writer);
    }

    public static async Task<Results<Ok<JournalPage>, ContentHttpResult, ProblemHttpResult>> ListJournal(
        HttpContext context, LedgerReports reports, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var query = context.Request.Query;
        var (page, size) = (Paging.Page(query, errors), Paging.Size(query, errors));
        var csv = ReadFormat(context.Request, errors);
        Guid? orderId = null;
        if (query["order_id"].ToString().Trim() is { Length: > 0 } text)
        {
            orderId = Guid.TryParse(text, out var id) ? id : Invalid<Guid?>(errors, "order_id", "A UUID.", null);
        }

        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        var journal = await reports.JournalAsync(page, size, orderId, ct);
        if (!csv)
        {
            return TypedResults.Ok(journal);
        }

        var writer = new CsvWriter().Row("entry_id", "kind", "source_id", "order_id", "event_id", "occurred_at", "memo", "line_no", "account",
            "debit_minor", "credit_minor", "class_id", "quantity", "currency");
        foreach (var e in journal.Entries)
        {
            for (var i = 0; i < e.Lines.Count; i++)
            {
                var l = e.Lines[i];
                writer.Row(e.Id, e.Kind, e.SourceId, e.OrderId, e.EventId, e.OccurredAt, e.Memo, i + 1, LedgerAccounts.Name(l.Account),
                    l.DebitMinor, l.CreditMinor, l.ClassId, l.Quantity, e.Currency);
            }
        }

        return Csv(context, "journal", writer);
    }

    private static (DateTimeOffset? From, DateTimeOffset? To, bool Csv) ReadPeriod(HttpRequest request, Dictionary<string, string[]> errors)
    {
        DateTimeOffset? Date(string key)
        {
            var text = request.Query[key].ToString().Trim();
            if (text.Length == 0)
            {
                return null;
            }

            return text.Length <= 40 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
                ? d
                : Invalid<DateTimeOffset?>(errors, key, "An ISO 8601 date or date-time.", null);
        }

        var (from, to) = (Date("from"), Date("to"));
        if (from > to)
        {
            errors["to"] = ["Must not be before from."];
        }

        return (from, to, ReadFormat(request, errors));
    }

    /// <summary>CSV when <c>format=csv</c>, or without <c>format</c> when the client accepts <c>text/csv</c>.</summary>
    private static bool ReadFormat(HttpRequest request, Dictionary<string, string[]> errors) =>
        request.Query["format"].ToString().Trim() switch
        {
            "csv" => true,
            "json" => false,
            "" => request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)),
            _ => Invalid(errors, "format", "json or csv.", false),
        };

    private static T Invalid<T>(Dictionary<string, string[]> errors, string field, string message, T fallback)
    {
        errors[field] = [message];
        return fallback;
    }

    private static ContentHttpResult Csv(HttpContext context, string name, CsvWriter writer)
    {
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.csv\"";
        return TypedResults.Text(writer.ToString(), CsvWriter.ContentType);
    }
}

/// <summary>The sales report: one row per event, class or day.</summary>
public sealed record SalesReport(string Currency, DateTimeOffset? From, DateTimeOffset? To, SalesGrouping GroupBy, IReadOnlyList<SalesRow> Rows);
