using System.Net.Http.Headers;

namespace TicketAspire.AppHost.Tests;

/// <summary>The reseller's ledger reports through the running API: JSON, CSV and problem details for bad parameters.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ReportsTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_statement_is_balanced_and_in_the_cells_currency()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");

        var statement = await http.GetJsonAsync("/v1/reports/statement?from=2020-01-01&to=2100-01-01");

        Assert.True((bool)statement["balanced"]!, statement.ToJsonString());
        Assert.Equal("EUR", (string)statement["currency"]!);
        // one balance per account of the chart, unredeemed_credits (flex passes) the last
        Assert.Equal(8, statement["balances"]!.AsArray().Count);
        Assert.Equal("unredeemed_credits", (string)statement["balances"]![7]!["account"]!);
    }

    [Theory]
    [InlineData("/v1/reports/statement?format=csv", "section,item,amount_minor,currency")]
    [InlineData("/v1/reports/sales?group_by=day&format=csv", "key,label,tickets_sold,gross_sales,discounts,platform_fees,processing_fees,tax,refunds,chargebacks,net,currency")]
    [InlineData("/v1/reports/journal?format=csv", "entry_id,kind,source_id,order_id,event_id,occurred_at,memo,line_no,account,debit_minor,credit_minor,class_id,quantity,currency")]
    public async Task Csv_is_asked_for_with_format_and_starts_with_a_header_row(string path, string header)
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith(header + "\r\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_is_asked_for_with_the_accept_header()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/reports/payouts");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        using var response = await http.SendAsync(request);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("status,event_id,event_name,date,amount_minor,currency,payout_id\r\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/reports/sales?group_by=venue", "group_by")]
    [InlineData("/v1/reports/statement?from=yesterday", "from")]
    [InlineData("/v1/reports/statement?from=2030-01-02&to=2030-01-01", "to")]
    [InlineData("/v1/reports/journal?order_id=42", "order_id")]
    [InlineData("/v1/reports/journal?size=1000", "size")]
    [InlineData("/v1/reports/payouts?format=xml", "format")]
    public async Task A_bad_parameter_is_a_problem_naming_it(string path, string field)
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");

        var problem = await http.GetJsonAsync(path, HttpStatusCode.BadRequest);

        Assert.Equal("validation", (string)problem["code"]!);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }
}
