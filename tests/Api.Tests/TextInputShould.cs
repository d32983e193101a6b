using System.Text.Json;
using TicketAspire.Api.Infrastructure.Input;

namespace TicketAspire.Api.Tests;

public sealed class TextInputShould
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new CleanStringConverter() } };

    [Theory]
    [InlineData("Paris", true)]
    [InlineData("Zürich, 東京, emoji \U0001F3AB", true)]
    [InlineData("a\u0000b", false)]
    [InlineData("\u0001", false)]
    [InlineData("tab\tin a query", false)]
    [InlineData("del\u007f", false)]
    [InlineData("c1\u0085", false)]
    public void JudgeSingleLineText(string text, bool clean) => Assert.Equal(clean, TextInput.IsClean(text));

    [Fact]
    public void RefuseUnpairedSurrogates()
    {
        // built here: test data strings cannot carry unpaired surrogates through the runner
        Assert.False(TextInput.IsClean("lone " + (char)0xD800 + " high"));
        Assert.False(TextInput.IsClean("lone " + (char)0xDC00 + " low"));
        Assert.False(TextInput.IsClean("trailing " + (char)0xD83C));
        Assert.False(TextInput.IsClean("swapped " + (char)0xDFAB + (char)0xD83C));
        Assert.True(TextInput.IsClean("paired " + (char)0xD83C + (char)0xDFAB));
    }

    [Fact]
    public void AllowLineBreaksAndTabsInMultiLineText()
    {
        Assert.True(TextInput.IsClean("line one\r\nline two\tend", multiline: true));
        Assert.False(TextInput.IsClean("line\u0000", multiline: true));
    }

    [Theory]
    [InlineData("""{"reason":"a\u0000b"}""")]
    [InlineData("""{"reason":"\u001b[31m"}""")]
    [InlineData("""{"reason":"\ud800"}""")]
    [InlineData("""{"reason":"x\udc00y"}""")]
    [InlineData("""{"reason":"\u0085"}""")]
    public void RefuseBodiesWithControlCharactersOrLoneSurrogates(string body)
    {
        var ex = Assert.Throws<InvalidTextException>(() => JsonSerializer.Deserialize<Reason>(body, Json));
        Assert.Equal("$.reason", ex.Path);
    }

    [Theory]
    [InlineData("""{"reason":"cannot make it\nsorry"}""", "cannot make it\nsorry")]
    [InlineData("""{"reason":"\ud83c\udfab ticket"}""", "\U0001F3AB ticket")]
    [InlineData("""{"reason":null}""", null)]
    public void ReadCleanBodies(string body, string? expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize<Reason>(body, Json)!.reason);

    [Fact]
    public void FindTheOffendingQueryParameter()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Path = "/v1/events";
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?type=concert&location=%00");
        Assert.Equal("location", TextInputMiddleware.Offending(context.Request));
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?location=paris");
        Assert.Null(TextInputMiddleware.Offending(context.Request));
    }

    private sealed record Reason(string? reason);
}
