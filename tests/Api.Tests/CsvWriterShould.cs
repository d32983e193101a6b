using System.Globalization;
using TicketAspire.Api.Infrastructure;

namespace TicketAspire.Api.Tests;

public sealed class CsvWriterShould
{
    [Fact]
    public void EndRecordsWithCrLfAndQuoteOnlyWhatNeedsIt()
    {
        var csv = new CsvWriter().Row("key", "label").Row("a", "Rock, Paper \"Live\"").Row("b", "two\nlines").ToString();

        Assert.Equal("key,label\r\na,\"Rock, Paper \"\"Live\"\"\"\r\nb,\"two\nlines\"\r\n", csv);
    }

    [Fact]
    public void WriteNumbersAndDatesInTheInvariantCulture()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var csv = new CsvWriter().Row(-1234567L, 12.5m, new DateTimeOffset(2030, 6, 1, 19, 30, 0, TimeSpan.FromHours(2)), null, true).ToString();

            Assert.Equal("-1234567,12.5,2030-06-01T17:30:00Z,,true\r\n", csv);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-rock", "'-rock")]
    [InlineData("@SUM", "'@SUM")]
    [InlineData("Plain", "Plain")]
    public void KeepSpreadsheetsFromRunningTextAsAFormula(string text, string expected) => Assert.Equal(expected, CsvWriter.Field(text));
}
