using System.Text.Json;

namespace TicketAspire.Api.Infrastructure.Input;

/// <summary>A JSON string of a request body broke <see cref="TextInput"/> (the serializer adds the JSON path).</summary>
public sealed class InvalidTextException(Exception? inner) : JsonException(TextInput.Rule, inner);
