using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketAspire.Api.Infrastructure.Input;

/// <summary>
/// Reads every JSON string of a request body under <see cref="TextInput"/> (multi-line allowed): a string with a control
/// character or an unpaired surrogate (<c>"\u0000"</c>, <c>"\ud800"</c>) fails the body as an <see cref="InvalidTextException"/>,
/// which the API answers as a 400 naming the JSON path. Writing is unchanged.
/// </summary>
public sealed class CleanStringConverter : JsonConverter<string>
{
    /// <inheritdoc />
    public override bool HandleNull => false;

    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string, got {reader.TokenType}.");
        }

        string? text;
        try
        {
            text = reader.GetString();
        }
        catch (InvalidOperationException ex)
        {
            // an escaped unpaired surrogate the reader cannot transcode
            throw new InvalidTextException(ex);
        }

        return TextInput.IsClean(text, multiline: true) ? text : throw new InvalidTextException(null);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
